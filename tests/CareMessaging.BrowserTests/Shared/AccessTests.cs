using CareMessaging.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareMessaging.BrowserTests.Shared;

/// <summary>What a browser may open by URL, and the pages it sees when it may not.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessTests(BrowserStack browser)
{
    [Fact]
    public async Task The_favicon_is_served_on_the_sign_in_page_before_anyone_signs_in()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin?returnUrl=%2F");

        var icon = await context.APIRequest.GetAsync("/favicon.ico");

        Assert.Equal(200, icon.Status);
        Assert.StartsWith("image/", icon.Headers["content-type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_of_another_team_get_not_found_for_a_conversation_or_patient_by_url()
    {
        var cardiologyPatient = browser.Seed.PatientOf("cardiology");
        var conversation = browser.Seed.Conversations.First(c => c.PatientId == cardiologyPatient.PatientId);
        var (context, page) = await browser.SignedInAsync(browser.Seed.ClinicianOf("endocrinology"), "/inbox");
        await using var _ = context;

        var response = await page.GotoAsync($"/inbox/{conversation.Id}");
        Assert.Equal(404, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Page not found");
        Assert.DoesNotContain(conversation.Topic, await page.ContentAsync(), StringComparison.Ordinal);

        response = await page.GotoAsync($"/patients/{cardiologyPatient.PatientId}");
        Assert.Equal(404, response!.Status);
        Assert.DoesNotContain(cardiologyPatient.DisplayName, await page.ContentAsync(), StringComparison.Ordinal);

        response = await page.GotoAsync($"/conversations/{conversation.Id}?handler=Messages");
        Assert.Equal(404, response!.Status);
    }

    [Fact]
    public async Task Unknown_pages_are_a_page_for_browsers_and_problem_details_for_other_clients()
    {
        var (context, page) = await browser.SignedInAsync(browser.Seed.PatientOf("oncology"), "/portal");
        await using var _ = context;

        var response = await page.GotoAsync("/no-such-page");
        Assert.Equal(404, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Page not found");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Go to the start page" })).ToBeVisibleAsync();

        var api = await context.APIRequest.GetAsync("/no-such-page", new() { Headers = new Dictionary<string, string> { ["Accept"] = "application/json" } });
        Assert.Equal(404, api.Status);
        Assert.StartsWith("application/problem+json", api.Headers["content-type"], StringComparison.Ordinal);

        // A patient opening the care team's inbox is not allowed.
        response = await page.GotoAsync("/inbox");
        Assert.Equal(403, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not allowed");
    }

    [Fact]
    public async Task Sign_out_ends_the_session_and_the_inbox_asks_to_sign_in_again()
    {
        var (context, page) = await browser.SignedInAsync(browser.Seed.ClinicianOf("endocrinology"), "/inbox");
        await using var _ = context;

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/inbox", StringComparison.Ordinal));
        await page.GotoAsync("/inbox");
        await Expect(page.Locator("#UserName")).ToBeVisibleAsync();
        Assert.Equal(401, (await context.APIRequest.GetAsync("/api/session")).Status);
    }

    [Fact]
    public async Task A_post_without_the_anti_forgery_token_is_refused_and_sends_nothing()
    {
        var patient = browser.Seed.PatientOf("endocrinology", skip: 1);
        var conversation = browser.Seed.Conversations.First(c => c.PatientId == patient.PatientId);
        var (context, page) = await browser.SignedInAsync(patient, $"/portal/{conversation.Id}");
        await using var _ = context;
        var before = await page.Messages().CountAsync();

        var forged = await context.APIRequest.PostAsync($"/conversations/{conversation.Id}?handler=Send", new APIRequestContextOptions
        {
            Form = context.APIRequest.CreateFormData().Set("Body", "Sent by another site").Set("ClientMessageId", Guid.NewGuid().ToString()),
        });
        Assert.Equal(400, forged.Status);

        await page.ReloadAsync();
        Assert.Equal(before, await page.Messages().CountAsync());
    }

    [Fact]
    public async Task Signed_out_browser_is_sent_to_sign_in_and_brought_back()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/inbox?filter=unread");
        await Expect(page.Locator("#UserName")).ToBeVisibleAsync();

        var clinician = browser.Seed.ClinicianOf("oncology");
        await page.Locator("#UserName").FillAsync(clinician.UserName);
        await page.Locator("#Password").FillAsync(browser.Seed.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/inbox?filter=unread");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Unread", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
    }
}
