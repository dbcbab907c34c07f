using CareMessaging.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareMessaging.BrowserTests.Shared;

/// <summary>Where a live page gets what it shows (docs/decisions/0046).</summary>
[Collection(BrowserCollection.Name)]
public sealed class FrontDoorTests(BrowserStack browser)
{
    /// <summary>What a page may ask the gateway itself for: the session and its token, and the hub.</summary>
    private static readonly string[] GatewayPaths = ["/api/session", "/hubs/notifications"];

    [Fact]
    public async Task A_live_inbox_gets_the_thread_list_badge_and_cards_from_the_web_app_and_only_the_session_and_hub_from_the_gateway()
    {
        var patient = browser.Seed.PatientOf("oncology", skip: 2);
        var (patientContext, _) = await browser.SignedInAsync(patient, "/portal");
        await using var __ = patientContext;
        await using var staffContext = await browser.NewContextAsync();
        var requests = new List<IRequest>();
        staffContext.Request += (_, request) => requests.Add(request);
        var staff = await browser.SignInAsync(staffContext, browser.Seed.ClinicianOf("oncology"), "/inbox");
        var id = await Api.StartConversationAsync(patientContext, patient.PatientId!, "Appointment reminder", "Is my appointment still on Friday?");
        await staff.GotoAsync($"/inbox/{id}");
        await staff.WaitForLiveAsync();
        await Expect(staff.UnreadBadge()).ToHaveAttributeAsync("data-total", new System.Text.RegularExpressions.Regex(@"^\d+$"));

        await Api.SendMessageAsync(patientContext, id, "I can also come on Monday.");

        await Expect(staff.Messages().Last.Locator(".message__body")).ToHaveTextAsync("I can also come on Monday.");
        await Expect(staff.ConversationItem(id).Locator("[data-preview]")).ToHaveTextAsync("I can also come on Monday.");
        await Expect(staff.Locator("[data-stats][data-refreshed]")).ToBeAttachedAsync();
        var paths = requests.Select(r => new Uri(r.Url)).Select(u => u.AbsolutePath + u.Query).ToList();
        Assert.Contains(paths, p => p.StartsWith($"/conversations/{id}?handler=Messages&after=", StringComparison.Ordinal));
        Assert.Contains("/conversations/list", paths);
        Assert.Contains("/inbox/dashboard?handler=Stats", paths);
        Assert.Contains("/unread", paths);
        var toGateway = paths.Where(p => p.StartsWith("/api/", StringComparison.Ordinal) || p.StartsWith("/hubs/", StringComparison.Ordinal)).Distinct().ToList();
        Assert.All(toGateway, p => Assert.Contains(GatewayPaths, allowed => p.StartsWith(allowed, StringComparison.Ordinal)));
    }
}
