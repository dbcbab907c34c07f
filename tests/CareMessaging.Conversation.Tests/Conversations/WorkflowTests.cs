using System.Net;
using System.Net.Http.Json;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Conversations;
using CareMessaging.Conversation.Tests.Infrastructure;

namespace CareMessaging.Conversation.Tests.Conversations;

[Collection(ConversationServiceCollection.Name)]
public sealed class WorkflowTests(ConversationServiceFixture fixture)
{
    [Fact]
    public async Task Resolve_archive_and_reopen_change_the_status_and_publish_each_change()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        var id = (await staff.StartAsync(team.Patients[0].PatientId)).Id;

        var resolved = await (await staff.PostAsync($"/api/conversations/{id}/resolve", null)).ReadAsync<ConversationListItem>();
        var archived = await (await staff.PostAsync($"/api/conversations/{id}/archive", null)).ReadAsync<ConversationListItem>();
        var reopened = await (await staff.PostAsync($"/api/conversations/{id}/reopen", null)).ReadAsync<ConversationListItem>();

        Assert.Equal(ConversationStatus.Resolved, resolved.Status);
        Assert.Equal(ConversationStatus.Archived, archived.Status);
        Assert.Equal(ConversationStatus.Open, reopened.Status);
        var changes = await fixture.Events.WaitForAsync<ConversationStatusChanged>(e => e.ConversationId == id, count: 3);
        Assert.Equal(
            [(ConversationStatus.Open, ConversationStatus.Resolved), (ConversationStatus.Resolved, ConversationStatus.Archived), (ConversationStatus.Archived, ConversationStatus.Open)],
            changes.OrderBy(e => e.OccurredAt).Select(e => (e.PreviousStatus, e.Status)));
    }

    [Fact]
    public async Task An_archived_conversation_is_read_only_but_viewable_and_searchable_until_reopened()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        using var patient = team.PatientClient();
        var id = (await staff.StartAsync(team.Patients[0].PatientId, "Archived topic here")).Id;
        (await staff.PostAsync($"/api/conversations/{id}/archive", null)).EnsureSuccessStatusCode();

        var staffSend = await staff.PostAsJsonAsync($"/api/conversations/{id}/messages", new { body = "More", clientMessageId = Api.NewKey() });
        var patientSend = await patient.PostAsJsonAsync($"/api/conversations/{id}/messages", new { body = "More", clientMessageId = Api.NewKey() });
        var resolve = await staff.PostAsync($"/api/conversations/{id}/resolve", null);

        Assert.Contains("archived", (await staffSend.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await patientSend.ProblemAsync(HttpStatusCode.Conflict);
        await resolve.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(1, (await staff.ThreadAsync(id)).MessageCount);
        Assert.Single((await staff.ListAsync("?q=archived%20topic")).Items);

        (await staff.PostAsync($"/api/conversations/{id}/reopen", null)).EnsureSuccessStatusCode();
        await staff.SendAsync(id, "Open again");
        Assert.Equal(2, (await staff.ThreadAsync(id)).MessageCount);
    }

    [Fact]
    public async Task A_patient_cannot_change_the_status_of_their_conversation()
    {
        var team = await fixture.CreateTeamAsync();
        using var patient = team.PatientClient();
        var id = (await patient.StartAsync(team.Patients[0].PatientId)).Id;

        var response = await patient.PostAsync($"/api/conversations/{id}/archive", null);

        await response.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(ConversationStatus.Open, (await patient.ThreadAsync(id)).Status);
    }

    [Fact]
    public async Task Repeating_a_status_change_changes_and_publishes_nothing_more()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        var id = (await staff.StartAsync(team.Patients[0].PatientId)).Id;

        (await staff.PostAsync($"/api/conversations/{id}/resolve", null)).EnsureSuccessStatusCode();
        var again = await (await staff.PostAsync($"/api/conversations/{id}/resolve", null)).ReadAsync<ConversationListItem>();
        (await staff.PostAsync($"/api/conversations/{id}/reopen", null)).EnsureSuccessStatusCode();

        Assert.Equal(ConversationStatus.Resolved, again.Status);
        Assert.Equal(2, await fixture.CountOutboxAsync<ConversationStatusChanged>(id));
    }
}
