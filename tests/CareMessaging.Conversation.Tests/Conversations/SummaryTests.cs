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
    public async Task The_summary_is_camel_case_json()
    {
        var team = await fixture.CreateTeamAsync();

        var json = await team.StaffClient().GetStringAsync("/api/conversations/summary");

        Assert.Equal("""{"totalConversations":0,"unreadMessages":0,"uniquePatients":0,"totalMessages":0}""", json);
    }
}
