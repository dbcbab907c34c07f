using System.Net;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.ReadState;
using CareMessaging.Conversation.Tests.Infrastructure;

namespace CareMessaging.Conversation.Tests.ReadState;

[Collection(ConversationServiceCollection.Name)]
public sealed class ReadHorizonTests(ConversationServiceFixture fixture)
{
    [Fact]
    public async Task Marking_read_moves_the_horizon_forward_and_never_back()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        using var patient = team.PatientClient();
        var thread = await patient.StartAsync(team.Patients[0].PatientId, body: "first");
        var second = await patient.SendAsync(thread.Id, "second");
        var third = await patient.SendAsync(thread.Id, "third");

        var forward = await (await staff.MarkReadAsync(thread.Id, second.Id)).ReadAsync<ReadStateView>();
        var back = await (await staff.MarkReadAsync(thread.Id, thread.Messages.Items[0].Id)).ReadAsync<ReadStateView>();

        Assert.Equal(new ReadStateView(thread.Id, 2, 1), forward);
        Assert.Equal(new ReadStateView(thread.Id, 2, 1), back);
        Assert.Equal(1, (await staff.ThreadAsync(thread.Id)).UnreadCount);

        await staff.MarkReadAsync(thread.Id, third.Id);
        Assert.Equal(0, (await staff.ThreadAsync(thread.Id)).UnreadCount);
    }

    [Fact]
    public async Task Horizons_are_per_reader_and_own_messages_are_never_unread()
    {
        var team = await fixture.CreateTeamAsync();
        using var first = team.StaffClient(0);
        using var second = team.StaffClient(1);
        using var patient = team.PatientClient();
        var thread = await patient.StartAsync(team.Patients[0].PatientId);
        var reply = await first.SendAsync(thread.Id, "We will call you.");

        await first.MarkReadAsync(thread.Id, reply.Id);

        Assert.Equal(0, (await first.ThreadAsync(thread.Id)).UnreadCount);
        Assert.Equal(2, (await second.ThreadAsync(thread.Id)).UnreadCount);
        Assert.Equal(1, (await patient.ThreadAsync(thread.Id)).UnreadCount);
    }

    [Fact]
    public async Task A_message_of_another_conversation_is_a_400_naming_upToMessageId()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        var one = await staff.StartAsync(team.Patients[0].PatientId);
        var other = await staff.StartAsync(team.Patients[1].PatientId);

        var wrong = await staff.MarkReadAsync(one.Id, other.Messages.Items[0].Id);
        var missing = await staff.PostAsync($"/api/conversations/{one.Id}/read", System.Net.Http.Json.JsonContent.Create(new { }));

        Assert.Equal(["upToMessageId"], await wrong.ValidationErrorsAsync());
        Assert.Equal(["upToMessageId"], await missing.ValidationErrorsAsync());
    }

    [Fact]
    public async Task Marking_read_publishes_the_new_horizon_once()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        using var patient = team.PatientClient();
        var thread = await patient.StartAsync(team.Patients[0].PatientId);
        var latest = await patient.SendAsync(thread.Id, "Any news?");

        await staff.MarkReadAsync(thread.Id, latest.Id);
        await staff.MarkReadAsync(thread.Id, latest.Id);

        var read = Assert.Single(await fixture.Events.WaitForAsync<ConversationRead>(e => e.ConversationId == thread.Id));
        Assert.Equal(2, read.ReadUpToSequence);
        Assert.Equal(team.StaffIds[0], read.ActorId);
        Assert.Equal(team.Id, read.CareTeamId);
        // The second call moved nothing, so nothing more is published.
        Assert.Equal(1, await fixture.CountOutboxAsync<ConversationRead>(thread.Id));
    }

    [Fact]
    public async Task Reading_an_archived_conversation_still_moves_the_horizon()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        using var patient = team.PatientClient();
        var thread = await patient.StartAsync(team.Patients[0].PatientId);
        (await staff.PostAsync($"/api/conversations/{thread.Id}/archive", null)).EnsureSuccessStatusCode();

        var response = await staff.MarkReadAsync(thread.Id, thread.Messages.Items[0].Id);

        Assert.Equal(1, (await response.ReadAsync<ReadStateView>(HttpStatusCode.OK)).ReadUpToSequence);
    }
}
