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
}
