using System.Globalization;
using System.Text.Json;
using CareMessaging.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareMessaging.BrowserTests.Inbox;

/// <summary>The care team's response times under the inbox's cards, as the Stats service counts them.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ResponseTimesTests(BrowserStack browser)
{
    private const string CareTeam = "primary-care";

    [Fact]
    public async Task Response_times_show_what_the_stats_service_says_as_a_patient_waits_and_is_answered()
    {
        var patient = browser.Seed.PatientOf(CareTeam, skip: 4);
        var (patientContext, _) = await browser.SignedInAsync(patient, "/portal");
        await using var __ = patientContext;
        var (context, page) = await browser.SignedInAsync(browser.Seed.ClinicianOf(CareTeam), "/inbox");
        await using var _ = context;
        var before = await ShownAsAsync(context, page, stats => true);

        // The patient writes: one more conversation awaits the team's response.
        var id = await Api.StartConversationAsync(patientContext, patient.PatientId!, "Dizzy in the mornings", "I have felt dizzy after getting up all week.");
        var waiting = await ShownAsAsync(context, page, stats => stats.GetProperty("awaitingResponse").GetInt32() == before.GetProperty("awaitingResponse").GetInt32() + 1);
        Assert.Equal(before.GetProperty("respondedConversations").GetInt32(), waiting.GetProperty("respondedConversations").GetInt32());

        // The team answers: it no longer waits, and its first response is counted in the median.
        await Api.SendMessageAsync(context, id, "Please sit up slowly and keep a note of when it happens; we will call you today.");
        await ShownAsAsync(context, page, stats =>
            stats.GetProperty("awaitingResponse").GetInt32() == before.GetProperty("awaitingResponse").GetInt32()
            && stats.GetProperty("respondedConversations").GetInt32() == before.GetProperty("respondedConversations").GetInt32() + 1);
        await Expect(page.Locator(".response-time__team")).ToContainTextAsync(["Primary care"]);
        await page.AssertNoInlineScriptOrStyleAsync();
    }

    /// <summary>
    /// Waits until the Stats service's figures for the team satisfy <paramref name="settled"/> and the
    /// inbox, reloaded, shows exactly those figures; answers them.
    /// </summary>
    private static async Task<JsonElement> ShownAsAsync(IBrowserContext context, IPage page, Func<JsonElement, bool> settled)
    {
        JsonElement team = default;
        var seen = string.Empty;
        await PageExtensions.EventuallyAsync(async () =>
        {
            var stats = await Api.GetJsonAsync(context, "/api/stats");
            team = stats.GetProperty("teams").EnumerateArray().Single(t => t.GetProperty("careTeamId").GetString() == CareTeam).Clone();
            if (!settled(team))
            {
                seen = $"the Stats service says {team}";
                return false;
            }

            await page.ReloadAsync();
            var row = page.Locator($"[data-team-response='{CareTeam}']");
            var median = await row.Locator("[data-median-first-response]").InnerTextAsync();
            var awaiting = await row.Locator("[data-awaiting-response]").InnerTextAsync();
            var oldest = row.Locator("[data-oldest-waiting]");
            var oldestShown = await oldest.Locator("time").CountAsync() == 1 ? await oldest.Locator("time").GetAttributeAsync("datetime") : await oldest.InnerTextAsync();
            var oldestHref = await oldest.GetAttributeAsync("href");

            var expectedMedian = Duration(team.GetProperty("medianFirstResponseSeconds"));
            var expectedAwaiting = team.GetProperty("awaitingResponse").GetInt32().ToString("N0", CultureInfo.InvariantCulture);
            var (expectedOldest, expectedHref) = team.GetProperty("oldestAwaiting") is { ValueKind: JsonValueKind.Object } o
                ? (o.GetProperty("waitingSince").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), $"/inbox/{o.GetProperty("conversationId").GetGuid()}")
                : ("—", null);
            seen = $"page {median}/{awaiting}/{oldestShown}/{oldestHref}, expected {expectedMedian}/{expectedAwaiting}/{expectedOldest}/{expectedHref}";
            return median == expectedMedian && awaiting == expectedAwaiting && oldestShown == expectedOldest && oldestHref == expectedHref;
        }, () => $"the inbox shows the team's response times ({seen})");
        return team;
    }

    /// <summary>A median as a clinician reads it: whole minutes, then hours and minutes, then days and hours.</summary>
    private static string Duration(JsonElement seconds)
    {
        if (seconds.ValueKind == JsonValueKind.Null)
        {
            return "—";
        }

        var minutes = (long)Math.Floor(Math.Max(0, seconds.GetDouble()) / 60);
        return minutes switch
        {
            0 => "under 1 min",
            < 60 => $"{minutes} min",
            < 1440 => minutes % 60 == 0 ? $"{minutes / 60} h" : $"{minutes / 60} h {minutes % 60} min",
            _ => (minutes % 1440) / 60 == 0 ? $"{minutes / 1440} d" : $"{minutes / 1440} d {(minutes % 1440) / 60} h",
        };
    }
}
