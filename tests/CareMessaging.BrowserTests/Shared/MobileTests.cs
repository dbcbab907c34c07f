using CareMessaging.Contracts;
using CareMessaging.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareMessaging.BrowserTests.Shared;

/// <summary>Phones: the list fills the screen, a conversation opens full screen, nothing scrolls sideways.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MobileTests(BrowserStack browser)
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [Fact]
    public async Task Below_768px_the_list_is_full_width_and_a_conversation_opens_full_screen_with_a_back_button()
    {
        var (context, page) = await browser.SignedInAsync(browser.Seed.ClinicianOf("cardiology"), "/inbox", Phone);
        await using var _ = context;

        var list = page.Locator("[data-list-panel]");
        await Expect(list).ToBeVisibleAsync();
        await Expect(page.Locator("[data-thread-panel]")).ToBeHiddenAsync();
        var listBox = (await list.BoundingBoxAsync())!;
        Assert.True(listBox.Width >= Phone.Width - 32, $"The list is {listBox.Width}px wide on a {Phone.Width}px screen.");
        await AssertNothingScrollsSidewaysAsync(page);
        await AssertTouchTargetsAsync(page, ".tabs__tab:visible, [data-new-message]:visible, .sidebar__link:visible, .signout-form button:visible");
        await Screenshots.SaveAsync(page, "mobile-inbox");

        await page.ConversationItems().First.Locator("[data-conversation-link]").TapAsync();
        await Expect(page.Locator("[data-thread][data-ready='true']")).ToBeVisibleAsync();
        await Expect(list).ToBeHiddenAsync();
        var threadBox = (await page.Locator("[data-thread-panel]").BoundingBoxAsync())!;
        Assert.Equal(0, threadBox.X);
        Assert.Equal(0, threadBox.Y);
        Assert.Equal(Phone.Width, threadBox.Width, 1);
        Assert.Equal(Phone.Height, threadBox.Height, 1);
        await AssertNothingScrollsSidewaysAsync(page);
        await AssertTouchTargetsAsync(page, "[data-back-link], [data-composer-send], [data-profile-link], [data-status-action]");
        await Screenshots.SaveAsync(page, "mobile-thread");

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to conversations" }).TapAsync();
        await page.WaitForURLAsync("**/inbox");
        await Expect(list).ToBeVisibleAsync();
    }

    [Fact]
    public async Task On_a_phone_the_logo_and_the_patient_name_links_are_44px_touch_targets()
    {
        var (context, page) = await browser.SignedInAsync(browser.Seed.ClinicianOf("primary-care"), "/inbox", Phone);
        await using var _ = context;

        await Expect(page.ConversationItems().First).ToBeVisibleAsync();

        // Measured in one pass: a push may re-render the list between two separate looks.
        var targets = await page.Locator(".brand, [data-patient-link]").EvaluateAllAsync<string[]>(
            "links => links.filter(l => l.getClientRects().length > 0).map(l => { const r = l.getBoundingClientRect(); return `${l.textContent.trim()}|${r.width}|${r.height}`; })");
        Assert.True(targets.Length > 1, "Neither the logo nor a patient link is on screen.");
        Assert.All(targets, target =>
        {
            var parts = target.Split('|');
            var (width, height) = (double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(width >= 44 && height >= 44, $"{parts[0]} is {width}x{height}px; touch targets are at least 44px.");
        });
    }

    [Fact]
    public async Task On_a_phone_the_sessions_page_fits_the_screen_and_its_buttons_are_44px_touch_targets()
    {
        var user = DemoUsers.InTeam("primary-care", Roles.Nurse)[^1];
        await using var other = await browser.NewContextAsync(userAgent: Account.SessionsTests.OtherBrowsers.FirefoxOnMac);
        await browser.SignInAsync(other, user, "/inbox");
        var (context, page) = await browser.SignedInAsync(user, "/account/sessions", Phone);
        await using var _ = context;

        await Expect(page.Locator("[data-session]")).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-session][data-current='false'] [data-session-device]")).ToHaveTextAsync("Firefox on macOS");
        await AssertNothingScrollsSidewaysAsync(page);
        await AssertTouchTargetsAsync(page, "[data-end-session], [data-end-others], .sidebar__link:visible");
        await Screenshots.SaveAsync(page, "mobile-sessions");
    }

    private static async Task AssertNothingScrollsSidewaysAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<double>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The page is {overflow}px wider than the screen.");
    }

    private static async Task AssertTouchTargetsAsync(IPage page, string selector)
    {
        var targets = page.Locator(selector);
        var count = await targets.CountAsync();
        Assert.True(count > 0, $"Nothing matches {selector}.");
        for (var i = 0; i < count; i++)
        {
            var box = await targets.Nth(i).BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.Height >= 44 && box.Width >= 44,
                $"{await targets.Nth(i).InnerTextAsync()} is {box.Width}x{box.Height}px; touch targets are at least 44px.");
        }
    }
}
