using System.Text.Json;
using CareMessaging.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareMessaging.BrowserTests.Inbox;

/// <summary>The care team's inbox: figures, tabs, search and opening a conversation.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InboxTests(BrowserStack browser)
{
    private const string CareTeam = "cardiology";

    [Fact]
    public async Task Stats_cards_show_the_users_figures_from_the_conversation_service()
    {
        var (context, page) = await browser.SignedInAsync(browser.Seed.ClinicianOf(CareTeam), "/inbox");
        await using var _ = context;

        // The cards come from the Stats read model, which follows events: the same figures once it has caught up.
        string[] figures = ["totalConversations", "unreadMessages", "uniquePatients", "totalMessages"];
        var seen = string.Empty;
        await PageExtensions.EventuallyAsync(async () =>
        {
            var summary = await Api.GetJsonAsync(context, "/api/conversations/summary");
            await page.ReloadAsync();
            var expected = figures.Select(f => summary.GetProperty(f).GetInt64()).ToList();
            var shown = new List<long>();
            foreach (var figure in figures)
            {
                shown.Add(await page.StatAsync(figure));
            }

            seen = $"cards {string.Join('/', shown)}, summary {string.Join('/', expected)}";
            return shown.SequenceEqual(expected);
        }, () => $"the four cards equal GET /api/conversations/summary ({seen})");

        await Expect(page.Locator(".stat-card__label")).ToHaveTextAsync(["Total Conversations", "Unread Messages", "Unique Patients", "Total Messages"]);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Messages" })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.Locator("[data-signed-in-user]")).ToContainTextAsync(browser.Seed.ClinicianOf(CareTeam).DisplayName);
        await page.AssertNoInlineScriptOrStyleAsync();
        await Screenshots.SaveAsync(page, "inbox");
    }

    [Fact]
    public async Task Unread_and_total_messages_cards_count_a_patients_new_message_without_reload()
    {
        const string team = "endocrinology";
        var patient = browser.Seed.PatientOf(team, skip: 2);
        var (patientContext, _) = await browser.SignedInAsync(patient, "/portal");
        await using var __ = patientContext;
        var id = await Api.StartConversationAsync(patientContext, patient.PatientId!,
            $"Blood sugar log {Guid.NewGuid().ToString("N")[..6]}", "My morning readings are higher this week.");

        // The baseline: the cards once the Stats read model has followed everything so far.
        var (context, page) = await browser.SignedInAsync(browser.Seed.ClinicianOf(team), "/inbox");
        await using var _ = context;
        var before = await SettledCardsAsync(context, page);
        await page.WaitForLiveAsync();
        await page.MarkDocumentAsync();

        await Api.SendMessageAsync(patientContext, id, "Today it was 9.1 before breakfast.");

        var seen = string.Empty;
        await PageExtensions.EventuallyAsync(async () =>
        {
            var now = await CardsAsync(page);
            seen = string.Join('/', now);
            return now["unreadMessages"] == before["unreadMessages"] + 1 && now["totalMessages"] == before["totalMessages"] + 1;
        }, () => $"Unread Messages and Total Messages went up by one from {string.Join('/', before)} (cards show {seen})");
        var after = await CardsAsync(page);
        Assert.Equal(before["totalConversations"], after["totalConversations"]);
        Assert.Equal(before["uniquePatients"], after["uniquePatients"]);
        Assert.True(await page.IsSameDocumentAsync(), "The inbox was reloaded.");
    }

    private static readonly string[] Figures = ["totalConversations", "unreadMessages", "uniquePatients", "totalMessages"];

    private static async Task<Dictionary<string, long>> CardsAsync(IPage page)
    {
        var cards = new Dictionary<string, long>();
        foreach (var figure in Figures)
        {
            cards[figure] = await page.StatAsync(figure);
        }

        return cards;
    }

    /// <summary>Reloads until the four cards equal what the Conversation service counts for the same user.</summary>
    private static async Task<Dictionary<string, long>> SettledCardsAsync(IBrowserContext context, IPage page)
    {
        var cards = new Dictionary<string, long>();
        var seen = string.Empty;
        await PageExtensions.EventuallyAsync(async () =>
        {
            var summary = await Api.GetJsonAsync(context, "/api/conversations/summary");
            await page.ReloadAsync();
            cards = await CardsAsync(page);
            seen = $"cards {string.Join('/', cards.Values)}, summary {string.Join('/', Figures.Select(f => summary.GetProperty(f).GetInt64()))}";
            return Figures.All(f => cards[f] == summary.GetProperty(f).GetInt64());
        }, () => $"the four cards equal GET /api/conversations/summary ({seen})");
        return cards;
    }

    [Fact]
    public async Task More_conversations_load_as_the_list_is_scrolled_to_its_end()
    {
        var clinician = browser.Seed.ClinicianOf("oncology");
        var (context, page) = await browser.SignedInAsync(clinician, "/inbox");
        await using var _ = context;
        var patients = browser.Seed.Patients.Where(p => p.CareTeam == "oncology").Select(p => p.PatientId).ToList();
        for (var i = 0; (await ListAsync(context, "filter=all&limit=100")).Count <= Web.PageSize; i++)
        {
            await Api.StartConversationAsync(context, patients[i % patients.Count], $"Follow-up visit {i + 1}", "Please book your follow-up visit.");
        }

        await page.ReloadAsync();
        Assert.Equal(Web.PageSize, await page.ConversationItems().CountAsync());
        await page.Locator("[data-list-scroller]").EvaluateAsync("s => { s.scrollTop = s.scrollHeight; }");

        var expected = (await ListAsync(context, "filter=all&limit=100")).Select(c => c.GetProperty("id").GetGuid()).ToList();
        await PageExtensions.EventuallyAsync(async () => (await page.ConversationItems().CountAsync()) >= Math.Min(expected.Count, 2 * Web.PageSize),
            "scrolling to the end loaded the next page");
        var shown = await page.ConversationIdsAsync();
        Assert.Equal(shown.Distinct().Count(), shown.Count);
        Assert.Equal(expected.Take(shown.Count), shown);
    }

    [Fact]
    public async Task Each_filter_tab_shows_exactly_the_conversations_the_api_puts_in_it()
    {
        var (context, page) = await browser.SignedInAsync(browser.Seed.ClinicianOf(CareTeam), "/inbox");
        await using var _ = context;
        await page.WaitForLiveAsync();

        foreach (var (tab, filter) in new[] { ("Unread", "unread"), ("Read", "read"), ("All", "all") })
        {
            await page.GetByRole(AriaRole.Link, new() { Name = tab, Exact = true }).ClickAsync();
            await page.WaitForListAsync(filter, string.Empty);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = tab, Exact = true })).ToHaveAttributeAsync("aria-current", "page");

            var expected = await ListIdsAsync(context, $"filter={filter}");
            Assert.Equal(expected, await page.ConversationIdsAsync());
            var dots = await page.Locator("[data-conversation-list] [data-unread-dot]:visible").CountAsync();
            switch (filter)
            {
                case "unread":
                    Assert.Equal(expected.Count, dots);
                    break;
                case "read":
                    Assert.Equal(0, dots);
                    break;
            }

            // The tab stays in the address, so a reload or a shared link shows the same list.
            Assert.Equal(filter == "all" ? string.Empty : $"?filter={filter}", new Uri(page.Url).Query);
        }
    }

    [Fact]
    public async Task A_search_over_200_characters_says_what_the_limit_is_and_leaves_no_earlier_results_on_screen()
    {
        var (context, page) = await browser.SignedInAsync(browser.Seed.ClinicianOf(CareTeam), "/inbox");
        await using var _ = context;
        var search = page.GetByRole(AriaRole.Searchbox, new() { Name = "Search conversations" });
        await Expect(page.ConversationItems().First).ToBeVisibleAsync();

        var term = new string('z', 1024);
        await search.FillAsync(term);

        await Expect(search).ToHaveValueAsync(term);
        await Expect(page.Locator("[data-search-error]")).ToContainTextAsync("at most 200 characters");
        await Expect(page.ConversationItems()).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Search_by_patient_id_name_or_topic_narrows_the_list_as_the_user_types()
    {
        var (context, page) = await browser.SignedInAsync(browser.Seed.ClinicianOf(CareTeam), "/inbox");
        await using var _ = context;
        var all = await ListAsync(context, "filter=all&limit=100");
        var target = all[all.Count / 2];
        var search = page.GetByRole(AriaRole.Searchbox, new() { Name = "Search conversations" });
        var addresses = new List<string>();
        page.Request += (_, request) => addresses.Add(Uri.UnescapeDataString(request.Url));

        var terms = new[]
        {
            target.GetProperty("patientId").GetString()!,
            target.GetProperty("patientName").GetString()!.Split(' ')[^1].ToLowerInvariant(),
            target.GetProperty("topic").GetString()!.Split(' ').OrderByDescending(word => word.Length).First(),
        };
        foreach (var term in terms)
        {
            await search.FillAsync(string.Empty);
            await search.PressSequentiallyAsync(term, new() { Delay = 30 });
            await page.WaitForListAsync("all", term);

            var expected = await ListIdsAsync(context, $"filter=all&q={Uri.EscapeDataString(term)}");
            var shown = await page.ConversationIdsAsync();
            Assert.Equal(expected, shown);
            Assert.Contains(target.GetProperty("id").GetGuid(), shown);
            Assert.True(shown.Count < all.Count, $"Searching for '{term}' showed {shown.Count} of {all.Count} conversations.");
        }

        await search.FillAsync("no conversation is about zebras");
        await page.WaitForListAsync("all", "no conversation is about zebras");
        await Expect(page.Locator("[data-empty-state]")).ToContainTextAsync("No conversations match");

        // What was typed (a patient's name, often) went in request bodies, never in an address.
        Assert.NotEmpty(addresses);
        foreach (var term in terms.Append("zebras"))
        {
            Assert.DoesNotContain(addresses.Append(Uri.UnescapeDataString(page.Url)), address => address.Contains(term, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task Search_works_without_javascript_and_keeps_the_term_out_of_the_address()
    {
        var clinician = browser.Seed.ClinicianOf(CareTeam);
        await using var context = await browser.NewContextAsync(javaScriptEnabled: false);
        var page = await browser.SignInAsync(context, clinician, "/inbox", javaScriptEnabled: false);
        var target = (await ListAsync(context, "filter=all&limit=100"))[0];
        var patientId = target.GetProperty("patientId").GetString()!;

        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search conversations" }).FillAsync(patientId);
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search conversations" }).PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Searchbox, new() { Name = "Search conversations" })).ToHaveValueAsync(patientId);

        Assert.Equal(await ListIdsAsync(context, $"filter=all&q={Uri.EscapeDataString(patientId)}"), await page.ConversationIdsAsync());
        Assert.Contains(target.GetProperty("id").GetGuid(), await page.ConversationIdsAsync());
        Assert.DoesNotContain(patientId, Uri.UnescapeDataString(page.Url), StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("/inbox", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opening_a_conversation_shows_its_messages_in_order_in_the_users_time_zone_and_marks_it_read()
    {
        var patient = browser.Seed.PatientOf(CareTeam, skip: 1);
        var (patientContext, patientPage) = await browser.SignedInAsync(patient, "/portal");
        await using var __ = patientContext;
        var conversation = (await ListAsync(patientContext, "filter=all")).First();
        var id = conversation.GetProperty("id").GetGuid();
        await Api.SendMessageAsync(patientContext, id, "Here are this morning's readings: 128/82.");

        var (context, page) = await browser.SignedInAsync(browser.Seed.ClinicianOf(CareTeam), "/inbox");
        await using var _ = context;
        await PageExtensions.EventuallyAsync(async () =>
            (await Api.GetJsonAsync(context, $"/api/conversations/{id}")).GetProperty("unreadCount").GetInt64() > 0,
            "the patient's message is unread for the clinician");

        await page.ConversationItem(id).Locator("[data-conversation-link]").ClickAsync();
        await page.WaitForURLAsync($"**/inbox/{id}");
        await Expect(page.Locator("[data-thread][data-ready='true']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-thread-patient-name]")).ToHaveTextAsync(patient.DisplayName);
        await Expect(page.Locator("[data-thread-patient-id]")).ToHaveTextAsync(patient.PatientId!);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Profile" })).ToBeVisibleAsync();

        var sequences = await page.Messages().EvaluateAllAsync<long[]>("items => items.map(i => Number(i.dataset.sequence))");
        Assert.Equal(sequences.Order().ToArray(), sequences);
        var last = page.Messages().Last;
        await Expect(last.Locator(".message__body")).ToHaveTextAsync("Here are this morning's readings: 128/82.");
        await Expect(last.Locator(".message__sender")).ToHaveTextAsync($"Patient · {patient.DisplayName}");

        // Shown in the browser's zone (New York here), not in UTC.
        var time = last.Locator("time");
        await Expect(time).ToHaveAttributeAsync("data-localized", "true");
        var utc = DateTimeOffset.Parse((await time.GetAttributeAsync("datetime"))!, System.Globalization.CultureInfo.InvariantCulture);
        var newYork = TimeZoneInfo.ConvertTime(utc, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        Assert.Contains(newYork.ToString("h:mm", System.Globalization.CultureInfo.InvariantCulture), await time.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.DistanceFromBottomAsync() <= 2, "The thread opens at its latest message.");

        var opened = await Api.GetJsonAsync(context, $"/api/conversations/{id}");
        Assert.Equal(0, opened.GetProperty("unreadCount").GetInt64());
        await Expect(page.ConversationItem(id).Locator("[data-unread-dot]")).ToBeHiddenAsync();
        // Both read models follow the read a moment later; the card and the badge come to agree without a reload.
        await page.MarkDocumentAsync();
        await PageExtensions.EventuallyAsync(
            async () => await page.StatAsync("unreadMessages") == await page.BadgeAsync()
                && await page.BadgeAsync() == (await Api.GetJsonAsync(context, "/api/conversations/summary")).GetProperty("unreadMessages").GetInt64(),
            "the Unread Messages card, the badge and the Conversation service agree");
        Assert.True(await page.IsSameDocumentAsync(), "The figures caught up without a reload.");
        await Screenshots.SaveAsync(page, "thread");
    }

    /// <summary>The inbox shows this many conversations before "Load more".</summary>
    private static class Web
    {
        public const int PageSize = 25;
    }

    private static async Task<IReadOnlyList<JsonElement>> ListAsync(IBrowserContext context, string query) =>
        (await Api.GetJsonAsync(context, $"/api/conversations?{query}")).GetProperty("items").EnumerateArray().ToList();

    private static async Task<IReadOnlyList<Guid>> ListIdsAsync(IBrowserContext context, string query) =>
        (await ListAsync(context, query + "&limit=25")).Select(item => item.GetProperty("id").GetGuid()).ToList();
}
