using CareMessaging.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareMessaging.BrowserTests.Patients;

/// <summary>The patient profile, reached from the inbox and left for the inbox.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ProfileTests(BrowserStack browser)
{
    [Fact]
    public async Task Patient_name_in_the_list_opens_the_profile_with_all_their_conversations_and_back_returns_to_the_inbox()
    {
        var (context, page) = await browser.SignedInAsync(browser.Seed.ClinicianOf("cardiology"), "/inbox");
        await using var _ = context;
        var first = page.ConversationItems().First;
        var patientId = await first.Locator("[data-patient-id]").InnerTextAsync();
        var patientName = await first.Locator("[data-patient-link]").InnerTextAsync();
        var seeded = browser.Seed.Patients.Single(p => p.PatientId == patientId);

        await first.Locator("[data-patient-link]").ClickAsync();
        await page.WaitForURLAsync($"**/patients/{patientId}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(patientName);
        await Expect(page.Locator("[data-profile-patient-id]")).ToHaveTextAsync(patientId);
        await Expect(page.Locator("[data-profile-dob]")).ToHaveTextAsync(seeded.DateOfBirth.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("[data-profile-care-team]")).ToHaveTextAsync("Cardiology");

        var profile = await Api.GetJsonAsync(context, $"/api/patients/{patientId}");
        var expected = profile.GetProperty("conversations").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, (await page.ConversationIdsAsync()).Order().ToList());
        await Screenshots.SaveAsync(page, "patient-profile");

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the inbox" }).ClickAsync();
        await page.WaitForURLAsync("**/inbox");
        await Expect(page.Locator("[data-stats]")).ToBeVisibleAsync();
    }
}
