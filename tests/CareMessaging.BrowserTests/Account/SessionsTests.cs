using System.Globalization;
using CareMessaging.BrowserTests.Infrastructure;
using CareMessaging.Contracts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareMessaging.BrowserTests.Account;

/// <summary>The signed-in sessions page: where the user is signed in, and ending a session elsewhere.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SessionsTests(BrowserStack browser)
{
    /// <summary>User agents of browsers other than the test's own Chromium, as the page should name them.</summary>
    public static class OtherBrowsers
    {
        public const string SafariOnIPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
        public const string EdgeOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0";
        public const string ChromeOnAndroid = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
        public const string FirefoxOnMac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0";
    }

    [Fact]
    public async Task Ending_another_session_signs_that_browser_out_and_this_one_stays_signed_in()
    {
        var user = DemoUsers.InTeam("endocrinology", Roles.Staff)[^1];
        await using var phone = await browser.NewContextAsync(userAgent: OtherBrowsers.SafariOnIPhone);
        var phonePage = await browser.SignInAsync(phone, user, "/inbox");
        var (context, page) = await browser.SignedInAsync(user, "/inbox");
        await using var _ = context;
        var addresses = new List<string>();
        page.Request += (_, request) => addresses.Add(request.Url);

        await page.GetByRole(AriaRole.Link, new() { Name = "Sessions", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/account/sessions");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Signed-in sessions", Level = 1 })).ToBeVisibleAsync();

        // What the page shows is what the gateway's session list says for the same user.
        var listed = (await Api.GetJsonAsync(context, "/api/sessions")).EnumerateArray().ToList();
        Assert.Equal(2, listed.Count);
        await Expect(page.Locator("[data-session]")).ToHaveCountAsync(2);
        var here = page.Locator("[data-session][data-current='true']");
        var there = page.Locator("[data-session][data-current='false']");
        await Expect(here.Locator("[data-session-device]")).ToHaveTextAsync("Chrome on Linux");
        await Expect(here.Locator("[data-this-device]")).ToHaveTextAsync("This browser");
        await Expect(here.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Expect(there.Locator("[data-session-device]")).ToHaveTextAsync("Safari on iOS");
        var phoneSession = listed.Single(s => !s.GetProperty("current").GetBoolean());
        await Expect(there.Locator("[data-session-address]")).ToHaveTextAsync(phoneSession.GetProperty("ipAddress").GetString()!);
        await AssertShowsTimeAsync(there.Locator("[data-session-signed-in]"), phoneSession.GetProperty("startedAt").GetDateTimeOffset());
        await AssertShowsTimeAsync(there.Locator("[data-session-last-seen]"), phoneSession.GetProperty("lastSeenAt").GetDateTimeOffset());
        await Expect(there.Locator("time[data-localized='true']")).ToHaveCountAsync(2);
        await Screenshots.SaveAsync(page, "sessions");

        await there.GetByRole(AriaRole.Button, new() { Name = "End session" }).ClickAsync();
        await Expect(page.Locator("[data-sessions-notice]")).ToHaveTextAsync("The session was ended. That browser is signed out.");
        await Expect(page.Locator("[data-session]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-no-other-sessions]")).ToBeVisibleAsync();

        // The phone is sent to sign in again; this browser carries on.
        await phonePage.GotoAsync("/inbox");
        await Expect(phonePage.Locator("#Password")).ToBeVisibleAsync();
        var stays = await page.GotoAsync("/inbox");
        Assert.Equal(200, stays!.Status);
        Assert.EndsWith("/inbox", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);

        // Sessions were named by handles, never by their ids, in any address the browser asked for.
        foreach (var session in listed)
        {
            var id = session.GetProperty("sessionId").GetString()!;
            Assert.DoesNotContain(addresses, address => address.Contains(id, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task Ending_all_other_sessions_without_javascript_signs_them_out_and_keeps_this_browser_signed_in()
    {
        var user = DemoUsers.InTeam("primary-care", Roles.Staff)[0];
        await using var desk = await browser.NewContextAsync(userAgent: OtherBrowsers.EdgeOnWindows);
        var deskPage = await browser.SignInAsync(desk, user, "/inbox");
        await using var tablet = await browser.NewContextAsync(userAgent: OtherBrowsers.ChromeOnAndroid);
        var tabletPage = await browser.SignInAsync(tablet, user, "/inbox");
        await using var context = await browser.NewContextAsync(javaScriptEnabled: false);
        var page = await browser.SignInAsync(context, user, "/account/sessions", javaScriptEnabled: false);

        await Expect(page.Locator("[data-session]")).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-session][data-current='true'] [data-session-device]")).ToHaveTextAsync("Chrome on Linux");
        var others = await page.Locator("[data-session][data-current='false'] [data-session-device]").AllInnerTextsAsync();
        Assert.Equal(["Chrome on Android", "Edge on Windows"], others.Order(StringComparer.Ordinal));
        // Before the user presses it, the page says that this browser is not among "all".
        await Expect(page.Locator("[data-end-others-form]")).ToContainTextAsync("This browser stays signed in.");

        await page.GetByRole(AriaRole.Button, new() { Name = "End all other sessions" }).ClickAsync();
        await Expect(page.Locator("[data-sessions-notice]")).ToHaveTextAsync("Every other session was ended. This browser stays signed in.");
        await Expect(page.Locator("[data-session]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-session][data-current='true']")).ToHaveCountAsync(1);

        foreach (var other in new[] { deskPage, tabletPage })
        {
            await other.GotoAsync("/inbox");
            await Expect(other.Locator("#Password")).ToBeVisibleAsync();
        }

        var stays = await page.GotoAsync("/inbox");
        Assert.Equal(200, stays!.Status);
        Assert.Single((await Api.GetJsonAsync(context, "/api/sessions")).EnumerateArray());
    }

    /// <summary>The page shows the instant in the reader's zone; its machine-readable time is the gateway's, to the second.</summary>
    private static async Task AssertShowsTimeAsync(ILocator time, DateTimeOffset expected)
    {
        var shown = DateTimeOffset.Parse((await time.GetAttributeAsync("datetime"))!, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs((shown - expected).TotalSeconds) < 1, $"The page shows {shown:o}; the gateway says {expected:o}.");
    }
}
