using CareMessaging.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareMessaging.BrowserTests.Shared;

/// <summary>The warning before an idle session ends, and staying signed in.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SessionTimeoutTests(BrowserStack browser)
{
    [Fact]
    public async Task Warning_appears_shortly_before_idle_sign_out_and_stay_signed_in_renews_the_session()
    {
        await using var context = await browser.NewContextAsync();
        // The page's clock is driven by the test; the gateway's is real.
        await context.Clock.InstallAsync();
        var page = await browser.SignInAsync(context, browser.Seed.ClinicianOf("oncology"), "/inbox");

        var warning = page.GetByRole(AriaRole.Alertdialog, new() { Name = "Still there?" });
        var panel = page.Locator("[data-session-warning]");
        await Expect(panel).ToHaveAttributeAsync("data-expires-at", new System.Text.RegularExpressions.Regex(".+"));
        await page.WaitForLiveAsync();
        var expiresAt = DateTimeOffset.Parse((await panel.GetAttributeAsync("data-expires-at"))!, System.Globalization.CultureInfo.InvariantCulture);
        await Expect(warning).ToBeHiddenAsync();

        // Like a laptop lid closed until 90 seconds before the session ends: due timers fire once, at that time.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(await page.EvaluateAsync<long>("() => Date.now()"));
        await context.Clock.FastForwardAsync((long)(expiresAt - now - TimeSpan.FromSeconds(90)).TotalMilliseconds);
        await Expect(warning).ToBeVisibleAsync();
        await Expect(warning).ToContainTextAsync("You will be signed out in 1:");
        await Expect(warning.GetByRole(AriaRole.Button, new() { Name = "Stay signed in" })).ToBeFocusedAsync();

        await warning.GetByRole(AriaRole.Button, new() { Name = "Stay signed in" }).ClickAsync();
        await PageExtensions.EventuallyAsync(async () =>
            DateTimeOffset.Parse((await panel.GetAttributeAsync("data-expires-at"))!, System.Globalization.CultureInfo.InvariantCulture) > expiresAt,
            "the gateway extended the idle session");
    }

    [Fact]
    public async Task Refreshes_set_off_by_a_push_are_not_counted_as_the_users_activity()
    {
        var patient = browser.Seed.PatientOf("primary-care", skip: 1);
        var (patientContext, _) = await browser.SignedInAsync(patient, "/portal");
        await using var __ = patientContext;
        var (staffContext, staff) = await browser.SignedInAsync(browser.Seed.ClinicianOf("primary-care"), "/inbox");
        await using var _ = staffContext;
        var id = await Api.StartConversationAsync(staffContext, patient.PatientId!, "Repeat prescription", "Your repeat prescription is ready to collect.");
        await staff.GotoAsync($"/inbox/{id}");
        await staff.WaitForLiveAsync();
        var panel = staff.Locator("[data-session-warning]");
        await Expect(panel).ToHaveAttributeAsync("data-expires-at", new System.Text.RegularExpressions.Regex(".+"));
        var expiresAt = await panel.GetAttributeAsync("data-expires-at");
        await staff.WaitForLoadStateAsync(LoadState.NetworkIdle);

        // From here on nobody touches the page: everything it asks for, it asks for on its own.
        var requests = new List<IRequest>();
        staff.Request += (_, request) => requests.Add(request);
        await Api.SendMessageAsync(patientContext, id, "Thank you, I will pick it up tomorrow.");

        await Expect(staff.Messages().Last.Locator(".message__body")).ToHaveTextAsync("Thank you, I will pick it up tomorrow.");
        await PageExtensions.EventuallyAsync(
            async () => requests.Any(r => r.Url.Contains("/inbox/dashboard?handler=Stats", StringComparison.Ordinal)) && await staff.Locator("[data-stats][data-refreshed]").CountAsync() == 1,
            "the page refreshed its figures after the push");
        var unmarked = new List<string>();
        foreach (var request in requests.ToList())
        {
            if (await request.HeaderValueAsync("x-caremessaging-background") is null)
            {
                unmarked.Add($"{request.Method} {request.Url}");
            }
        }

        Assert.True(requests.Count >= 2, $"The push made the page fetch the new message and the figures ({requests.Count} requests).");
        Assert.True(unmarked.Count == 0, "Requests not marked as background: " + string.Join(", ", unmarked));
        await Expect(panel).ToHaveAttributeAsync("data-expires-at", expiresAt!);
    }
}
