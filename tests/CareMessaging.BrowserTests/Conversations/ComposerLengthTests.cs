using CareMessaging.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CareMessaging.BrowserTests.Conversations;

/// <summary>The composer's 5000-character limit, counted as the message is stored and said as the user types.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ComposerLengthTests(BrowserStack browser)
{
    private const string CareTeam = "endocrinology";

    [Fact]
    public async Task A_5000_character_message_with_line_breaks_is_sent_whole_and_the_counter_says_none_are_left()
    {
        var (context, staff, id) = await OpenNewConversationAsync(skip: 4, "Long diet plan");
        await using var _ = context;
        var composer = staff.GetByRole(AriaRole.Textbox, new() { Name = "Message", Exact = true });

        // 50 lines of 99 characters and a line break each: 5000 characters as typed and as stored.
        var text = string.Join("\n", Enumerable.Range(0, 50).Select(i => new string((char)('a' + (i % 26)), 99))) + "\n";
        Assert.Equal(5000, text.Length);
        await composer.FillAsync(text);
        await Expect(staff.Locator("[data-char-count]")).ToHaveTextAsync("0 characters left");
        await composer.PressAsync("Enter");

        await Expect(staff.Messages()).ToHaveCountAsync(2);
        await Expect(staff.Locator("[data-composer-error]")).ToBeHiddenAsync();
        var stored = await Api.GetJsonAsync(context, $"/api/conversations/{id}/messages");
        var body = stored.GetProperty("items").EnumerateArray().Last().GetProperty("body").GetString();
        Assert.Equal(text.TrimEnd('\n'), body?.TrimEnd('\n'));
    }

    [Fact]
    public async Task Text_pasted_past_the_limit_is_kept_whole_and_the_counter_and_the_send_say_how_much_is_too_much()
    {
        var (context, staff, id) = await OpenNewConversationAsync(skip: 5, "Pasted report");
        await using var _ = context;
        var composer = staff.GetByRole(AriaRole.Textbox, new() { Name = "Message", Exact = true });
        await Expect(staff.Locator("[data-char-count]")).ToHaveTextAsync("5000 characters left");

        var pasted = new string('y', 5100);
        await composer.FocusAsync();
        await staff.Keyboard.InsertTextAsync(pasted);

        await Expect(composer).ToHaveValueAsync(pasted);
        await Expect(staff.Locator("[data-char-count]")).ToHaveTextAsync("100 characters too many");
        await Expect(staff.Locator("[data-char-count-for]")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("char-count--over"));
        await composer.PressAsync("Enter");
        await Expect(staff.Locator("[data-composer-error]")).ToContainTextAsync("at most 5000 characters");
        await Expect(composer).ToHaveValueAsync(pasted);
        await Expect(staff.Messages()).ToHaveCountAsync(1);
    }

    private async Task<(IBrowserContext Context, IPage Staff, Guid Id)> OpenNewConversationAsync(int skip, string topic)
    {
        var patient = browser.Seed.PatientOf(CareTeam, skip: skip);
        var (context, staff) = await browser.SignedInAsync(browser.Seed.ClinicianOf(CareTeam), "/inbox");
        var id = await Api.StartConversationAsync(context, patient.PatientId!, topic, "The text follows.");
        await staff.GotoAsync($"/inbox/{id}");
        await Expect(staff.Locator("[data-thread][data-ready='true']")).ToBeVisibleAsync();
        return (context, staff, id);
    }
}
