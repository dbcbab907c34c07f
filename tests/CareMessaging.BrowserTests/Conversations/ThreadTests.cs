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
