using CareMessaging.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareMessaging.BrowserTests.Portal;

/// <summary>The patient portal: their own conversations, and starting one.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PortalTests(BrowserStack browser)
{
    [Fact]
    public async Task Patient_sees_only_their_own_conversations_and_no_dashboard_then_starts_one()
    {
        var patient = browser.Seed.PatientOf("endocrinology");
        var (context, page) = await browser.SignedInAsync(patient, "/");
        await using var _ = context;

        await page.WaitForURLAsync("**/portal");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your messages" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-stats]")).ToHaveCountAsync(0);
        await Expect(page.Locator(".sidebar")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-patient-link]")).ToHaveCountAsync(0);

        var mine = (await Api.GetJsonAsync(context, "/api/conversations?limit=25")).GetProperty("items").EnumerateArray().ToList();
        Assert.All(mine, c => Assert.Equal(patient.PatientId, c.GetProperty("patientId").GetString()));
        Assert.Equal(mine.Select(c => c.GetProperty("id").GetGuid()).ToList(), await page.ConversationIdsAsync());

        var topic = $"Question about my insulin pen {Guid.NewGuid().ToString("N")[..6]}";
        await page.GetByRole(AriaRole.Link, new() { Name = "New Message" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "New Message" });
        await Expect(dialog.GetByRole(AriaRole.Listbox)).ToHaveCountAsync(0);
        await dialog.GetByLabel("Topic").FillAsync(topic);
        await dialog.GetByLabel("Message").FillAsync("The pen clicks but I am not sure the dose goes in.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Send Message" }).ClickAsync();

        await page.WaitForURLAsync(url => url.Contains("/portal/", StringComparison.Ordinal));
        await Expect(page.ConversationItems().First.Locator("[data-conversation-link]")).ToHaveTextAsync(topic);
        await Expect(page.Locator("[data-thread-topic]")).ToHaveTextAsync(topic);
        await Expect(page.Messages().Last.Locator(".message__sender")).ToHaveTextAsync("You");
    }
}
