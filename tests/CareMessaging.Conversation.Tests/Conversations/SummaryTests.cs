using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Tests.Infrastructure;

namespace CareMessaging.Conversation.Tests.Conversations;

[Collection(ConversationServiceCollection.Name)]
public sealed class SummaryTests(ConversationServiceFixture fixture)
{
    [Fact]
    public async Task The_summary_follows_the_definitions_of_ADR_0004_for_staff_and_patients()
    {
        var team = await fixture.CreateTeamAsync(patients: 3);
        using var staff = team.StaffClient(0);
        using var colleague = team.StaffClient(1);
        using var patient = team.PatientClient(0);
        // Patient 0: two conversations; patient 1: one, archived; patient 2: none.
        var first = await patient.StartAsync(team.Patients[0].PatientId, "First", "p1");
        var second = await patient.StartAsync(team.Patients[0].PatientId, "Second", "p2");
        var archived = await colleague.StartAsync(team.Patients[1].PatientId, "Archived", "c1");
        await staff.SendAsync(first.Id, "s1");
        await patient.SendAsync(first.Id, "p3");
        await colleague.SendAsync(second.Id, "c2");
        await staff.MarkReadAsync(first.Id, first.Messages.Items[0].Id);
        (await colleague.PostAsync($"/api/conversations/{archived.Id}/archive", null)).EnsureSuccessStatusCode();

        var staffSummary = await (await staff.GetAsync("/api/conversations/summary")).ReadAsync<DashboardCounts>();
        var patientSummary = await (await patient.GetAsync("/api/conversations/summary")).ReadAsync<DashboardCounts>();

        // Staff 0: first has p3 unread (horizon 1, s1 is theirs); second has p2 and c2; archived has c1.
        Assert.Equal(new DashboardCounts { TotalConversations = 3, UnreadMessages = 4, UniquePatients = 1, TotalMessages = 6 }, staffSummary);
        // Patient 0: first has s1 unread; second has c2.
        Assert.Equal(new DashboardCounts { TotalConversations = 2, UnreadMessages = 2, UniquePatients = 1, TotalMessages = 5 }, patientSummary);
        var listed = await staff.ListAsync();
        Assert.Equal(staffSummary.UnreadMessages, listed.Items.Sum(i => i.UnreadCount));
        Assert.Equal(staffSummary.TotalMessages, listed.Items.Sum(i => i.MessageCount));
    }

    [Fact]
    public async Task The_summary_equals_a_count_over_every_list_page_after_random_starts_sends_reads_and_archives()
    {
        var team = await fixture.CreateTeamAsync(staff: 3, patients: 3);
        var staff = Enumerable.Range(0, 3).Select(team.StaffClient).ToList();
        var patients = Enumerable.Range(0, 3).Select(team.PatientClient).ToList();
        var conversations = new List<(Guid Id, int Patient, bool Archived)>();
        var random = new Random(20261201);

        for (var step = 0; step < 80; step++)
        {
            var action = conversations.Count == 0 ? 0 : random.Next(10);
            var index = random.Next(Math.Max(conversations.Count, 1));
            // Each conversation's patient or any of the team's staff may act on it.
            HttpClient Participant(int patient) => random.Next(2) == 0 ? patients[patient] : staff[random.Next(staff.Count)];
            switch (action)
            {
                case 0:
                    var patient = random.Next(patients.Count);
                    var started = await Participant(patient).StartAsync(team.Patients[patient].PatientId, $"Topic {step}");
                    conversations.Add((started.Id, patient, false));
                    break;
                case < 6 when !conversations[index].Archived:
                    await Participant(conversations[index].Patient).SendAsync(conversations[index].Id, $"Message {step}");
                    break;
                case < 9:
                    var reader = Participant(conversations[index].Patient);
                    var thread = await reader.ThreadAsync(conversations[index].Id);
                    // Any message, earlier ones too: a horizon only moves forward.
                    var upTo = thread.Messages.Items[random.Next(thread.Messages.Items.Count)];
                    (await reader.MarkReadAsync(conversations[index].Id, upTo.Id)).EnsureSuccessStatusCode();
                    break;
                default:
                    var change = conversations[index].Archived ? "reopen" : "archive";
                    (await staff[random.Next(staff.Count)].PostAsync($"/api/conversations/{conversations[index].Id}/{change}", null)).EnsureSuccessStatusCode();
                    conversations[index] = conversations[index] with { Archived = !conversations[index].Archived };
                    break;
            }
        }

        foreach (var reader in staff.Concat(patients))
        {
            var listed = new List<ConversationListItem>();
            string? cursor = null;
            do
            {
                var page = await reader.ListAsync($"?limit=7{(cursor is null ? "" : $"&cursor={cursor}")}");
                listed.AddRange(page.Items);
                cursor = page.NextCursor;
            }
            while (cursor is not null);

            var summary = await (await reader.GetAsync("/api/conversations/summary")).ReadAsync<DashboardCounts>();

            Assert.Equal(new DashboardCounts
            {
                TotalConversations = listed.Count,
                UnreadMessages = listed.Sum(i => i.UnreadCount),
                UniquePatients = listed.Where(i => i.Status != ConversationStatus.Archived).Select(i => i.PatientId).Distinct().Count(),
                TotalMessages = listed.Sum(i => i.MessageCount),
            }, summary);
        }
    }

    [Fact]
    public async Task The_summary_is_camel_case_json()
    {
        var team = await fixture.CreateTeamAsync();

        var json = await team.StaffClient().GetStringAsync("/api/conversations/summary");

        Assert.Equal("""{"totalConversations":0,"unreadMessages":0,"uniquePatients":0,"totalMessages":0}""", json);
    }
}
