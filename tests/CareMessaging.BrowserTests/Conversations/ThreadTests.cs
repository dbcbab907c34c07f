using CareMessaging.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareMessaging.BrowserTests.Conversations;

/// <summary>Reading and writing in an open conversation.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ThreadTests(BrowserStack browser)
{
    private const string CareTeam = "cardiology";

    [Fact]
    public async Task A_script_in_a_message_is_shown_as_text_and_never_runs()
    {
        const string markup = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        var patient = browser.Seed.PatientOf(CareTeam, skip: 2);
        var (staffContext, staff) = await browser.SignedInAsync(browser.Seed.ClinicianOf(CareTeam), $"/patients/{patient.PatientId}");
        await using var _ = staffContext;
        var dialogs = 0;
        staff.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };

        var id = await OpenFirstConversationOfAsync(staff);
        var composer = staff.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        await composer.FillAsync(markup);
        await composer.PressAsync("Enter");
        await Expect(staff.Messages().Last.Locator(".message__body")).ToHaveTextAsync(markup);

        // As stored and rendered again by the server, for the sender and for the patient.
        await staff.ReloadAsync();
        await Expect(staff.Messages().Last.Locator(".message__body")).ToHaveTextAsync(markup);
        await Expect(staff.ConversationItem(id).Locator("[data-preview]")).ToContainTextAsync("<script>");
        var (patientContext, portal) = await browser.SignedInAsync(patient, $"/portal/{id}");
        await using var __ = patientContext;
        portal.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        await Expect(portal.Messages().Last.Locator(".message__body")).ToHaveTextAsync(markup);
        Assert.Equal(0, await portal.Locator("[data-messages] script, [data-messages] img").CountAsync());
        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task Without_javascript_a_reply_is_sent_and_one_that_fails_comes_back_with_its_text_and_the_reason()
    {
        var patient = browser.Seed.PatientOf("endocrinology", skip: 2);
        await using var context = await browser.NewContextAsync(javaScriptEnabled: false);
        var page = await browser.SignInAsync(context, browser.Seed.ClinicianOf("endocrinology"), "/inbox", javaScriptEnabled: false);
        var id = await Api.StartConversationAsync(context, patient.PatientId!, "Glucose diary", "Please bring your glucose diary to the next visit.");
        await page.GotoAsync($"/inbox/{id}");
        var composer = page.GetByRole(AriaRole.Textbox, new() { Name = "Message", Exact = true });
        var send = page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true });

        await composer.FillAsync("The clinic has moved to room 4.");
        await send.ClickAsync();
        await Expect(page.Messages().Last.Locator(".message__body")).ToHaveTextAsync("The clinic has moved to room 4.");
        // Without a script the server cannot know the reader's zone, so it names the one it used.
        await Expect(page.Messages().Last.Locator("time")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"\d{2}:\d{2} UTC$"));

        // A colleague archives the conversation while the next reply is being written.
        await composer.FillAsync("Also, no food after midnight before the blood test.");
        await Api.ArchiveAsync(context, id);
        await send.ClickAsync();

        await Expect(page.Locator("[data-composer-error]")).ToContainTextAsync("archived");
        await Expect(composer).ToHaveValueAsync("Also, no food after midnight before the blood test.");
        await Expect(composer).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Messages()).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task Thread_follows_new_messages_unless_the_reader_has_scrolled_up_then_offers_a_marker()
    {
        var patient = browser.Seed.PatientOf(CareTeam, skip: 3);
        var (patientContext, _) = await browser.SignedInAsync(patient, "/portal");
        await using var __ = patientContext;
        var (staffContext, staff) = await browser.SignedInAsync(browser.Seed.ClinicianOf(CareTeam), $"/patients/{patient.PatientId}");
        await using var _ = staffContext;
        var id = await OpenFirstConversationOfAsync(staff);

        // Enough history to scroll.
        for (var i = 1; i <= 12; i++)
        {
            await Api.SendMessageAsync(staffContext, id, $"Checklist item {i}: please confirm.\nSecond line of item {i}.");
        }

        await staff.ReloadAsync();
        await staff.WaitForLiveAsync();
        Assert.True(await staff.DistanceFromBottomAsync() <= 2, "The thread opens at its latest message.");

        await Api.SendMessageAsync(patientContext, id, "Confirmed, all of them.");
        await Expect(staff.Messages().Last.Locator(".message__body")).ToHaveTextAsync("Confirmed, all of them.");
        await PageExtensions.EventuallyAsync(async () => await staff.DistanceFromBottomAsync() <= 2, "the thread scrolled to the new message");
        await Expect(staff.Locator("[data-announcer]")).ToContainTextAsync("New message from Patient");

        await staff.Locator("[data-message-scroller]").EvaluateAsync("s => { s.scrollTop = 0; }");
        await Api.SendMessageAsync(patientContext, id, "One more question about item 3.");
        var marker = staff.GetByRole(AriaRole.Button, new() { Name = "New messages" });
        await Expect(marker).ToBeVisibleAsync();
        Assert.Equal(0, await staff.Locator("[data-message-scroller]").EvaluateAsync<double>("s => s.scrollTop"));

        await marker.ClickAsync();
        await Expect(marker).ToBeHiddenAsync();
        Assert.True(await staff.DistanceFromBottomAsync() <= 2, "The marker scrolls to the latest message.");
        await Expect(staff.Messages().Last.Locator(".message__body")).ToHaveTextAsync("One more question about item 3.");
    }

    [Fact]
    public async Task A_burst_of_more_messages_than_a_page_reaches_an_open_thread_without_a_gap()
    {
        // More than the 50 messages the thread asks for at a time.
        const int burst = 60;
        var patient = browser.Seed.PatientOf("primary-care", skip: 3);
        var (patientContext, _) = await browser.SignedInAsync(patient, "/portal");
        await using var __ = patientContext;
        var (staffContext, staff) = await browser.SignedInAsync(browser.Seed.ClinicianOf("primary-care"), "/inbox");
        await using var _ = staffContext;
        var id = await Api.StartConversationAsync(patientContext, patient.PatientId!, "Home blood pressure readings", "I will send my readings as I take them.");
        await staff.GotoAsync($"/inbox/{id}");
        await staff.WaitForLiveAsync();
        await Expect(staff.Messages()).ToHaveCountAsync(1);

        // As on a slow connection: the thread's requests for new messages arrive once the whole burst is stored.
        var burstStored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await staff.RouteAsync(
            url => url.Contains("handler=Messages", StringComparison.Ordinal) && url.Contains("after=", StringComparison.Ordinal),
            route =>
            {
                // Answered later; the handler returns at once, so that Playwright goes on serving the test meanwhile.
                var held = Task.Run(async () =>
                {
                    await burstStored.Task;
                    await route.ContinueAsync();
                });
                return Task.CompletedTask;
            });
        for (var i = 1; i <= burst; i++)
        {
            await Api.SendMessageAsync(patientContext, id, $"Reading {i}: 12{i % 10}/80");
        }

        burstStored.SetResult();

        await Expect(staff.Messages()).ToHaveCountAsync(burst + 1);
        var sequences = await staff.Messages().EvaluateAllAsync<long[]>("items => items.map(i => Number(i.dataset.sequence))");
        Assert.Equal(Enumerable.Range(0, burst + 1).Select(i => sequences[0] + i), sequences);
        await Expect(staff.Messages().Nth(1).Locator(".message__body")).ToHaveTextAsync("Reading 1: 121/80");
        await Expect(staff.Messages().Last.Locator(".message__body")).ToHaveTextAsync($"Reading {burst}: 120/80");
    }

    [Fact]
    public async Task Shift_enter_adds_a_line_and_a_failed_send_keeps_the_text()
    {
        var patient = browser.Seed.PatientOf(CareTeam, skip: 4);
        var (context, staff) = await browser.SignedInAsync(browser.Seed.ClinicianOf(CareTeam), $"/patients/{patient.PatientId}");
        await using var _ = context;
        await OpenFirstConversationOfAsync(staff);
        var composer = staff.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        var count = await staff.Messages().CountAsync();

        await composer.PressSequentiallyAsync("First line");
        await composer.PressAsync("Shift+Enter");
        await composer.PressSequentiallyAsync("second line");
        Assert.Equal(count, await staff.Messages().CountAsync());
        await Expect(composer).ToHaveValueAsync("First line\nsecond line");

        // The message service refuses a body over 5000 characters; the text stays to be shortened.
        var tooLong = new string('x', 5001);
        await composer.EvaluateAsync("(c, text) => { c.removeAttribute('maxlength'); c.value = text; }", tooLong);
        await composer.PressAsync("Enter");
        await Expect(staff.Locator("[data-composer-error]")).ToContainTextAsync("5000");
        await Expect(composer).ToHaveValueAsync(tooLong);
        await Expect(staff.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true })).ToBeEnabledAsync();
        Assert.Equal(count, await staff.Messages().CountAsync());
    }

    [Fact]
    public async Task Resolve_archive_and_reopen_from_the_header_and_archived_takes_no_replies()
    {
        var patient = browser.Seed.PatientOf(CareTeam, skip: 5);
        var (context, staff) = await browser.SignedInAsync(browser.Seed.ClinicianOf(CareTeam), $"/patients/{patient.PatientId}");
        await using var _ = context;
        var id = await OpenFirstConversationOfAsync(staff);
        var status = staff.Locator("[data-thread-status]");
        if (await status.InnerTextAsync() != "Open")
        {
            await staff.GetByRole(AriaRole.Button, new() { Name = "Reopen" }).ClickAsync();
            await Expect(status).ToHaveTextAsync("Open");
        }

        await staff.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Expect(status).ToHaveTextAsync("Resolved");
        await Expect(staff.GetByRole(AriaRole.Textbox, new() { Name = "Message" })).ToBeVisibleAsync();

        await staff.GetByRole(AriaRole.Button, new() { Name = "Archive" }).ClickAsync();
        await Expect(status).ToHaveTextAsync("Archived");
        await Expect(staff.GetByRole(AriaRole.Textbox, new() { Name = "Message" })).ToHaveCountAsync(0);
        await Expect(staff.Locator("[data-read-only]")).ToContainTextAsync("Reopen it to reply");
        Assert.Equal("Archived", (await Api.GetJsonAsync(context, $"/api/conversations/{id}")).GetProperty("status").GetString());

        await staff.GetByRole(AriaRole.Button, new() { Name = "Reopen" }).ClickAsync();
        await Expect(status).ToHaveTextAsync("Open");
        await Expect(staff.GetByRole(AriaRole.Textbox, new() { Name = "Message" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Load_earlier_messages_puts_the_previous_page_above_in_order_and_keeps_the_readers_place()
    {
        // One page more than a thread first shows, in a conversation only this test writes to.
        var patient = browser.Seed.PatientOf(CareTeam, skip: 7);
        var (context, staff) = await browser.SignedInAsync(browser.Seed.ClinicianOf(CareTeam), "/inbox");
        await using var _ = context;
        var topic = $"Daily readings {Guid.NewGuid().ToString("N")[..6]}";
        const int total = Web.MessagePageSize + 12;
        var id = await Api.StartConversationAsync(context, patient.PatientId!, topic, "Reading 1 of the month.");
        for (var i = 2; i <= total; i++)
        {
            await Api.SendMessageAsync(context, id, $"Reading {i} of the month.");
        }

        await staff.GotoAsync($"/inbox/{id}");
        await Expect(staff.Locator("[data-thread][data-ready='true']")).ToBeVisibleAsync();
        await Expect(staff.Messages()).ToHaveCountAsync(Web.MessagePageSize);
        await Expect(staff.Messages().First.Locator(".message__body")).ToHaveTextAsync($"Reading {total - Web.MessagePageSize + 1} of the month.");

        // The reader scrolls up to the oldest message shown, where the button is.
        var scroller = staff.Locator("[data-message-scroller]");
        await scroller.EvaluateAsync("s => { s.scrollTop = 0; }");
        var loadEarlier = staff.GetByRole(AriaRole.Button, new() { Name = "Load earlier messages" });
        await Expect(loadEarlier).ToBeInViewportAsync();
        var readingId = await staff.Messages().First.GetAttributeAsync("data-message-id");
        var reading = staff.Locator($"[data-messages] [data-message-id='{readingId}']");
        var before = await OffsetInScrollerAsync(reading);

        await loadEarlier.ClickAsync();
        await Expect(staff.Messages()).ToHaveCountAsync(total);

        // Oldest first, every message once, the earlier ones above what was being read.
        var bodies = await staff.Messages().Locator(".message__body").AllInnerTextsAsync();
        Assert.Equal(Enumerable.Range(1, total).Select(i => $"Reading {i} of the month."), bodies);
        var sequences = await staff.Messages().EvaluateAllAsync<long[]>("items => items.map(i => Number(i.dataset.sequence))");
        Assert.Equal(sequences.Order().Distinct().ToArray(), sequences);
        await Expect(staff.Messages().Nth(total - Web.MessagePageSize)).ToHaveAttributeAsync("data-message-id", readingId!);

        // What was being read has not moved: the earlier messages are above, out of view.
        var after = await OffsetInScrollerAsync(reading);
        Assert.True(Math.Abs(after - before) <= 2, $"The message being read moved from {before}px to {after}px in the thread.");
        await Expect(reading).ToBeInViewportAsync();
        await Expect(staff.Messages().First).Not.ToBeInViewportAsync();

        // That was the start of the conversation: no more button.
        await Expect(loadEarlier).ToHaveCountAsync(0);
    }

    /// <summary>Pixels from the top of the message history's visible area to the top of <paramref name="message"/>.</summary>
    private static Task<double> OffsetInScrollerAsync(ILocator message) =>
        message.EvaluateAsync<double>(
            "m => m.getBoundingClientRect().top - m.closest('[data-message-scroller]').getBoundingClientRect().top");

    /// <summary>How the web app pages a thread.</summary>
    private static class Web
    {
        /// <summary>A thread opens with this many of its latest messages; "Load earlier messages" fetches as many again.</summary>
        public const int MessagePageSize = 50;
    }

    /// <summary>Opens the first conversation on a patient's profile, from the page the browser is on.</summary>
    internal static async Task<Guid> OpenFirstConversationOfAsync(IPage page)
    {
        var first = page.ConversationItems().First;
        var id = Guid.Parse((await first.GetAttributeAsync("data-conversation-id"))!);
        await first.Locator("[data-conversation-link]").ClickAsync();
        await page.WaitForURLAsync($"**/inbox/{id}");
        await Expect(page.Locator("[data-thread][data-ready='true']")).ToBeVisibleAsync();
        return id;
    }
}
