using System.Globalization;
using CareMessaging.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareMessaging.BrowserTests.Portal;

/// <summary>The portal's navigation: the patient's unread count, kept live.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PortalNavigationTests(BrowserStack browser)
{
    [Fact]
    public async Task The_patients_unread_count_in_the_navigation_goes_up_when_the_care_team_writes_and_down_once_read()
    {
        const string team = "oncology";
        var patient = browser.Seed.PatientOf(team, skip: 3);
        var (context, portal) = await browser.SignedInAsync(patient, "/portal");
        await using var _ = context;
        var (staffContext, _) = await browser.SignedInAsync(browser.Seed.ClinicianOf(team), "/inbox");
        await using var __ = staffContext;

        var nav = portal.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Your messages" })).ToHaveAttributeAsync("aria-current", "page");
        var before = await SettledCountAsync(context, portal);
        await portal.WaitForLiveAsync();
        await portal.MarkDocumentAsync();

        // A new conversation from the care team, then a second message in it: the count follows without a reload.
        var id = await Api.StartConversationAsync(staffContext, patient.PatientId!, "Scan appointment", "Your scan is booked for Monday at 10:00.");
        await Expect(portal.UnreadBadge()).ToHaveTextAsync(Count(before + 1));
        await Api.SendMessageAsync(staffContext, id, "Please arrive 15 minutes early.");
        await Expect(portal.UnreadBadge()).ToHaveTextAsync(Count(before + 2));
        await Expect(portal.UnreadBadge()).ToHaveAttributeAsync("aria-label", $"{before + 2} unread");
        await Expect(portal.UnreadBadge()).ToBeVisibleAsync();
        Assert.True(await portal.IsSameDocumentAsync(), "The portal was reloaded.");

        // Reading the conversation takes both away again.
        await portal.ConversationItem(id).Locator("[data-conversation-link]").ClickAsync();
        await Expect(portal.Locator("[data-thread][data-ready='true']")).ToBeVisibleAsync();
        await Expect(portal.UnreadBadge()).ToHaveTextAsync(Count(before));
        Assert.Equal(before, (await Api.GetJsonAsync(context, "/api/notifications/unread")).GetProperty("total").GetInt64());
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reloads until the count in the navigation equals the Notification service's total for the patient.</summary>
    private static async Task<long> SettledCountAsync(IBrowserContext context, IPage page)
    {
        long shown = -1, total = -2;
        await PageExtensions.EventuallyAsync(async () =>
        {
            total = (await Api.GetJsonAsync(context, "/api/notifications/unread")).GetProperty("total").GetInt64();
            await page.ReloadAsync();
            shown = await page.BadgeAsync();
            return shown == total;
        }, () => $"the navigation's count ({shown}) equals GET /api/notifications/unread ({total})");
        return shown;
    }
}
