using CareMessaging.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace CareMessaging.BrowserTests.Conversations;

/// <summary>An open thread and the badge while many messages arrive at once.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BurstTests(BrowserStack browser)
{
    private const string CareTeam = "oncology";
    private const int Burst = 200;

    [Fact]
    public async Task An_open_thread_shows_every_message_of_a_burst_of_200_in_order_and_the_badge_equals_the_truth()
    {
        var viewer = browser.Seed.ClinicianOf(CareTeam);
        var patient = browser.Seed.PatientOf(CareTeam, skip: 5);
        var colleagues = browser.Seed.Staff.Where(s => s.CareTeams.Contains(CareTeam) && s.UserId != viewer.UserId).Take(2).Select(s => s.User).ToList();
        var (patientContext, _) = await browser.SignedInAsync(patient, "/portal");
        await using var __ = patientContext;
        var id = await Api.StartConversationAsync(patientContext, patient.PatientId!, "Burst of readings", "Readings follow.");

        var (viewerContext, thread) = await browser.SignedInAsync(viewer, $"/inbox/{id}");
        await using var ___ = viewerContext;
        await Expect(thread.Locator("[data-thread][data-ready='true']")).ToBeVisibleAsync();
        await thread.WaitForLiveAsync();

        // Three people write at once, as fast as they can: a patient and two colleagues of the viewer.
        var senders = new List<Microsoft.Playwright.IBrowserContext> { patientContext };
        foreach (var colleague in colleagues)
        {
            senders.Add((await browser.SignedInAsync(colleague, "/inbox")).Context);
        }

        try
        {
            await Task.WhenAll(senders.Select(async (sender, index) =>
            {
                for (var i = index; i < Burst; i += senders.Count)
                {
                    await Api.SendMessageAsync(sender, id, $"Burst reading {i + 1}");
                }
            }));

            await Expect(thread.Messages()).ToHaveCountAsync(Burst + 1, new() { Timeout = 60_000 });
            var sequences = await thread.Messages().EvaluateAllAsync<long[]>("items => items.map(i => Number(i.dataset.sequence))");
            Assert.Equal(Enumerable.Range(1, Burst + 1).Select(i => (long)i), sequences);
            var bodies = await thread.Messages().Locator(".message__body").AllTextContentsAsync();
            Assert.Equal(Enumerable.Range(1, Burst).Select(i => $"Burst reading {i}").Order(), bodies.Skip(1).Order());

            // The badge, pushed by the Notification service, comes to equal the Conversation service's count.
            await PageExtensions.EventuallyAsync(
                async () => await thread.BadgeAsync() == (await Api.GetJsonAsync(viewerContext, "/api/conversations/summary")).GetProperty("unreadMessages").GetInt64(),
                "the badge equals the unread count of the Conversation service");
        }
        finally
        {
            foreach (var colleague in senders.Skip(1))
            {
                await colleague.DisposeAsync();
            }
        }
    }
}
