using CareMessaging.Contracts;
using CareMessaging.BrowserTests.Conversations;
using CareMessaging.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareMessaging.BrowserTests.Shared;

/// <summary>
/// Every screen, in the state a person uses it, passes axe-core's WCAG 2.0/2.1 A and AA rules:
/// contrast, names and labels, landmarks, headings, ARIA. A failure lists each violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserStack browser)
{
    private const string CareTeam = "cardiology";
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [Fact]
    public async Task Staff_inbox_with_a_thread_open_the_new_message_dialog_and_the_patient_profile_meet_wcag_aa()
    {
        var patient = browser.Seed.PatientOf(CareTeam, skip: 6);
        var (context, page) = await browser.SignedInAsync(browser.Seed.ClinicianOf(CareTeam), $"/patients/{patient.PatientId}");
        await using var _ = context;
        var violations = new List<string>();

        violations.AddRange(await Accessibility.ViolationsAsync(page, "patient profile"));

        await ThreadTests.OpenFirstConversationOfAsync(page);
        violations.AddRange(await Accessibility.ViolationsAsync(page, "inbox with a thread open"));

        await page.GetByRole(AriaRole.Link, new() { Name = "New Message" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "New Message" });
        await Expect(dialog.Locator("form[data-new-message-form]")).ToBeVisibleAsync();
        violations.AddRange(await Accessibility.ViolationsAsync(page, "New Message dialog"));

        // With the server's validation messages beside the fields.
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Send Message" }).ClickAsync();
        await Expect(dialog.Locator("[data-field-error='Topic']")).ToBeVisibleAsync();
        violations.AddRange(await Accessibility.ViolationsAsync(page, "New Message dialog with errors"));
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Unread", Exact = true }).ClickAsync();
        await page.WaitForListAsync("unread", string.Empty);
        violations.AddRange(await Accessibility.ViolationsAsync(page, "inbox Unread tab"));

        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search conversations" }).FillAsync("no conversation is about zebras");
        await page.WaitForListAsync("unread", "no conversation is about zebras");
        await Expect(page.Locator("[data-empty-state]")).ToBeVisibleAsync();
        violations.AddRange(await Accessibility.ViolationsAsync(page, "inbox search without results"));

        Accessibility.AssertNone(violations);
    }

    [Fact]
    public async Task Staff_inbox_on_a_phone_meets_wcag_aa()
    {
        var (context, page) = await browser.SignedInAsync(browser.Seed.ClinicianOf(CareTeam), "/inbox", Phone);
        await using var _ = context;
        var violations = new List<string>();

        violations.AddRange(await Accessibility.ViolationsAsync(page, "phone inbox"));
        await page.ConversationItems().First.Locator("[data-conversation-link]").TapAsync();
        await Expect(page.Locator("[data-thread][data-ready='true']")).ToBeVisibleAsync();
        violations.AddRange(await Accessibility.ViolationsAsync(page, "phone thread"));

        Accessibility.AssertNone(violations);
    }

    [Fact]
    public async Task Patient_portal_its_thread_and_the_not_allowed_page_meet_wcag_aa()
    {
        var (context, page) = await browser.SignedInAsync(browser.Seed.PatientOf("oncology", skip: 1), "/portal");
        await using var _ = context;
        var violations = new List<string>();

        violations.AddRange(await Accessibility.ViolationsAsync(page, "patient portal"));
        await page.ConversationItems().First.Locator("[data-conversation-link]").ClickAsync();
        await Expect(page.Locator("[data-thread][data-ready='true']")).ToBeVisibleAsync();
        violations.AddRange(await Accessibility.ViolationsAsync(page, "patient portal thread"));

        var response = await page.GotoAsync("/inbox");
        Assert.Equal(403, response!.Status);
        violations.AddRange(await Accessibility.ViolationsAsync(page, "403 page"));

        Accessibility.AssertNone(violations);
    }

    [Fact]
    public async Task Signed_in_sessions_page_on_a_desktop_and_on_a_phone_meets_wcag_aa()
    {
        var user = DemoUsers.InTeam("oncology", Roles.Staff)[0];
        var (phone, phonePage) = await browser.SignedInAsync(user, "/account/sessions", Phone);
        await using var __ = phone;
        var (context, page) = await browser.SignedInAsync(user, "/account/sessions");
        await using var _ = context;
        var violations = new List<string>();

        // The phone's session and this one at least: each kind of row, with its button, is scanned.
        await Expect(page.Locator("[data-session][data-current='false']").First).ToBeVisibleAsync();
        violations.AddRange(await Accessibility.ViolationsAsync(page, "sessions page"));
        await phonePage.ReloadAsync();
        await Expect(phonePage.Locator("[data-session][data-current='false']").First).ToBeVisibleAsync();
        violations.AddRange(await Accessibility.ViolationsAsync(phonePage, "phone sessions page"));

        Accessibility.AssertNone(violations);
    }

    [Fact]
    public async Task Session_timeout_warning_meets_wcag_aa()
    {
        await using var context = await browser.NewContextAsync();
        // The page's clock is driven by the test, as in the session-timeout test.
        await context.Clock.InstallAsync();
        var page = await browser.SignInAsync(context, browser.Seed.ClinicianOf("oncology"), "/inbox");
        var panel = page.Locator("[data-session-warning]");
        await Expect(panel).ToHaveAttributeAsync("data-expires-at", new System.Text.RegularExpressions.Regex(".+"));
        var expiresAt = DateTimeOffset.Parse((await panel.GetAttributeAsync("data-expires-at"))!, System.Globalization.CultureInfo.InvariantCulture);

        var now = DateTimeOffset.FromUnixTimeMilliseconds(await page.EvaluateAsync<long>("() => Date.now()"));
        await context.Clock.FastForwardAsync((long)(expiresAt - now - TimeSpan.FromSeconds(90)).TotalMilliseconds);
        await Expect(page.GetByRole(AriaRole.Alertdialog, new() { Name = "Still there?" })).ToBeVisibleAsync();

        Accessibility.AssertNone(await Accessibility.ViolationsAsync(page, "session timeout warning"));
    }

    [Fact]
    public async Task Sign_in_page_and_not_found_page_meet_wcag_aa()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var violations = new List<string>();

        await page.GotoAsync("/signin?returnUrl=%2Finbox");
        await Expect(page.Locator("#UserName")).ToBeVisibleAsync();
        violations.AddRange(await Accessibility.ViolationsAsync(page, "sign-in page"));

        await browser.SignInAsync(context, browser.Seed.ClinicianOf(CareTeam), "/inbox");
        var response = await page.GotoAsync("/no-such-page");
        Assert.Equal(404, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Page not found");
        violations.AddRange(await Accessibility.ViolationsAsync(page, "404 page"));

        Accessibility.AssertNone(violations);
    }
}
