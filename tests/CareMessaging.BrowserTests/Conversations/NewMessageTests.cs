using CareMessaging.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareMessaging.BrowserTests.Conversations;

/// <summary>Starting a conversation from the inbox, and the patient answering it while the care team watches.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NewMessageTests(BrowserStack browser)
{
    private const string CareTeam = "cardiology";

    [Fact]
    public async Task New_message_dialog_shows_each_fields_error_beside_it_and_keeps_focus_inside()
    {
        var (context, page) = await browser.SignedInAsync(browser.Seed.ClinicianOf(CareTeam), "/inbox");
        await using var _ = context;

        await page.GetByRole(AriaRole.Link, new() { Name = "New Message" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "New Message" });
        await Expect(dialog.Locator("form[data-new-message-form]")).ToBeVisibleAsync();

        await dialog.GetByLabel("Topic").FillAsync("ok");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Send Message" }).ClickAsync();
        await Expect(dialog.Locator("[data-field-error='PatientId']")).ToContainTextAsync("Choose the patient");
        await Expect(dialog.Locator("[data-field-error='Topic']")).ToContainTextAsync("3 to 120 characters");
        await Expect(dialog.Locator("[data-field-error='Body']")).ToContainTextAsync("Write the first message");
        await Expect(dialog.GetByLabel("Topic")).ToHaveValueAsync("ok");
        await Expect(dialog.GetByLabel("Topic")).ToHaveAttributeAsync("aria-invalid", "true");

        for (var i = 0; i < 12; i++)
        {
            await page.Keyboard.PressAsync(i % 3 == 0 ? "Shift+Tab" : "Tab");
            Assert.True(await dialog.EvaluateAsync<bool>("d => d.contains(document.activeElement)"), "Focus left the dialog.");
        }

        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "New Message" })).ToBeFocusedAsync();
    }

    [Fact]
    public async Task A_patient_search_over_200_characters_is_kept_whole_says_the_limit_and_offers_no_earlier_matches()
    {
        var patient = browser.Seed.PatientOf(CareTeam, skip: 2);
        var (context, page) = await browser.SignedInAsync(browser.Seed.ClinicianOf(CareTeam), "/inbox");
        await using var _ = context;
        await page.GetByRole(AriaRole.Link, new() { Name = "New Message" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "New Message" });
        var search = dialog.GetByRole(AriaRole.Searchbox, new() { Name = "Patient" });
        var picker = dialog.GetByRole(AriaRole.Listbox, new() { Name = "Matching patients" });
        await Expect(search).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("up to 200 characters"));
        await Expect(picker.Locator("option").First).ToBeAttachedAsync();

        // Pasted, as a long term usually arrives: nothing is cut, and the server's limit is said.
        var term = new string('z', 1024);
        await search.FocusAsync();
        await page.Keyboard.InsertTextAsync(term);
        await Expect(search).ToHaveValueAsync(term);
        await Expect(dialog.Locator("[data-patient-search-error]")).ToHaveTextAsync(
            "A search can be at most 200 characters; this one has 1024. Search for a shorter part of the name or patient ID.");
        await Expect(search).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(picker.Locator("option")).ToHaveCountAsync(0);

        // Back within the limit, the matches and the picker come back and the message goes.
        await search.FillAsync(patient.PatientId!);
        await Expect(picker.Locator("option")).ToHaveCountAsync(1);
        await Expect(dialog.Locator("[data-patient-search-error]")).ToBeEmptyAsync();
        await Expect(search).Not.ToHaveAttributeAsync("aria-invalid", "true");
    }

    [Fact]
    public async Task New_conversation_appears_at_the_top_and_the_patients_reply_reaches_the_inbox_without_reload()
    {
        var patient = browser.Seed.PatientOf(CareTeam);
        var clinician = browser.Seed.ClinicianOf(CareTeam);
        var topic = $"Medication review {Guid.NewGuid().ToString("N")[..6]}";
        var (staffContext, staff) = await browser.SignedInAsync(clinician, "/inbox");
        await using var _ = staffContext;

        // Start the conversation from the dialog, choosing the patient by searching.
        await staff.GetByRole(AriaRole.Link, new() { Name = "New Message" }).ClickAsync();
        var dialog = staff.GetByRole(AriaRole.Dialog, new() { Name = "New Message" });
        await dialog.GetByRole(AriaRole.Searchbox, new() { Name = "Patient" }).PressSequentiallyAsync(patient.PatientId!, new() { Delay = 20 });
        var picker = dialog.GetByRole(AriaRole.Listbox, new() { Name = "Matching patients" });
        await Expect(picker.Locator("option")).ToHaveCountAsync(1);
        await picker.SelectOptionAsync(patient.PatientId!);
        await dialog.GetByLabel("Topic").FillAsync(topic);
        await dialog.GetByLabel("Message").FillAsync("Please bring all your current medicines to Tuesday's appointment.");
        await Screenshots.SaveAsync(staff, "new-message-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Send Message" }).ClickAsync();

        await staff.WaitForURLAsync(url => url.Contains("/inbox/", StringComparison.Ordinal));
        var id = Guid.Parse(staff.Url.Split('/')[^1].Split('?')[0]);
        Assert.Equal(id, (await staff.ConversationIdsAsync())[0]);
        await Expect(staff.ConversationItems().First.Locator("[data-conversation-link]")).ToHaveTextAsync(topic);
        await Expect(staff.Messages().Last.Locator(".message__sender")).ToHaveTextAsync("You");

        // The clinician moves back to the list and keeps the page open.
        await staff.GetByRole(AriaRole.Link, new() { Name = "Messages" }).ClickAsync();
        await staff.WaitForURLAsync("**/inbox");
        await staff.WaitForLiveAsync();
        await staff.MarkDocumentAsync();
        var badgeBefore = await staff.BadgeAsync();

        // The patient sees it in the portal, unread, and replies.
        var (patientContext, portal) = await browser.SignedInAsync(patient, "/portal");
        await using var __ = patientContext;
        var item = portal.ConversationItem(id);
        await Expect(item.Locator("[data-conversation-link]")).ToHaveTextAsync(topic);
        await Expect(item.Locator("[data-unread-dot]")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(portal, "patient-portal");
        await item.Locator("[data-conversation-link]").ClickAsync();
        await Expect(portal.Locator("[data-thread][data-ready='true']")).ToBeVisibleAsync();
        await Expect(portal.Messages().Last.Locator(".message__sender")).ToHaveTextAsync(clinician.DisplayName);
        await Expect(portal.Locator("[data-stats]")).ToHaveCountAsync(0);
        var reply = portal.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        await reply.FillAsync("Thank you, I will bring them.");
        await reply.PressAsync("Enter");
        await Expect(portal.Messages().Last.Locator(".message__body")).ToHaveTextAsync("Thank you, I will bring them.");
        await Expect(reply).ToHaveValueAsync(string.Empty);
        await Screenshots.SaveAsync(portal, "patient-portal-thread");

        // The inbox shows the reply, the unread dot and the new badge, without a reload.
        var staffItem = staff.ConversationItem(id);
        await Expect(staffItem.Locator("[data-preview]")).ToHaveTextAsync("Thank you, I will bring them.");
        await Expect(staffItem.Locator("[data-unread-dot]")).ToBeVisibleAsync();
        await Expect(staffItem.Locator("[data-unread-count]")).ToHaveTextAsync("1");
        await Expect(staff.UnreadBadge()).ToHaveTextAsync((badgeBefore + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(id, (await staff.ConversationIdsAsync())[0]);
        Assert.True(await staff.IsSameDocumentAsync(), "The inbox was reloaded.");

        // Opening it shows the reply from the patient and takes the badge down again.
        await staffItem.Locator("[data-conversation-link]").ClickAsync();
        await Expect(staff.Locator("[data-thread][data-ready='true']")).ToBeVisibleAsync();
        await Expect(staff.Messages().Last.Locator(".message__sender")).ToHaveTextAsync($"Patient · {patient.DisplayName}");
        await Expect(staff.UnreadBadge()).ToHaveTextAsync(badgeBefore.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
