using System.Net;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Tests.Infrastructure;
using Npgsql;

namespace CareMessaging.Conversation.Tests.Outbox;

[Collection(ConversationServiceCollection.Name)]
public sealed class EventPublishingTests(ConversationServiceFixture fixture)
{
    [Fact]
    public async Task Starting_a_conversation_publishes_ConversationStarted_and_the_first_MessageSent()
    {
        var team = await fixture.CreateTeamAsync(staff: 3);
        var patient = team.Patients[0];

        var thread = await team.PatientClient().StartAsync(patient.PatientId, "Sensitive topic", "Sensitive body");

        var id = thread.Id;
        var started = (await fixture.Events.WaitForAsync<ConversationStarted>(e => e.ConversationId == id))[0];
        var sent = (await fixture.Events.WaitForAsync<MessageSent>(e => e.ConversationId == id))[0];
        var audience = team.StaffIds.Append(patient.PortalUserId!).Order().ToList();
        Assert.Equal(patient.PortalUserId, started.ActorId);
        Assert.Equal(Roles.Patient, started.ActorRole);
        Assert.Equal(patient.PatientId, started.PatientId);
        Assert.Equal(team.Id, started.CareTeamId);
        Assert.Equal(audience, started.Audience.Order());
        Assert.Equal(1, sent.Sequence);
        Assert.Equal(1, sent.MessageCount);
        Assert.Equal(SenderKind.Patient, sent.SenderKind);
        Assert.Equal(thread.Messages.Items[0].Id, sent.MessageId);
        Assert.Equal(audience, sent.Audience.Order());
    }

    [Fact]
    public async Task Events_carry_no_message_text_topic_or_name()
    {
        var team = await fixture.CreateTeamAsync();
        var marker = $"marker{Guid.NewGuid():N}";
        var thread = await team.StaffClient().StartAsync(team.Patients[0].PatientId, $"Topic {marker}"[..30], $"Body {marker}");
        await fixture.Events.WaitForAsync<MessageSent>(e => e.ConversationId == thread.Id);

        await using var db = await fixture.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand("SELECT payload::text FROM outbox_messages WHERE payload->>'conversationId' = $1", db);
        command.Parameters.AddWithValue(thread.Id.ToString());
        var payloads = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                payloads.Add(reader.GetString(0));
            }
        }

        Assert.Equal(2, payloads.Count);
        Assert.All(payloads, payload =>
        {
            Assert.DoesNotContain(marker[..12], payload, StringComparison.Ordinal);
            Assert.DoesNotContain(team.Patients[0].GivenName, payload, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Opening_a_thread_is_an_access_event_with_trace_id_and_client_address()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        var id = (await staff.StartAsync(team.Patients[0].PatientId)).Id;

        var view = new HttpRequestMessage(HttpMethod.Get, $"/api/conversations/{id}");
        view.Headers.Add("X-Forwarded-For", "198.51.100.23");
        (await staff.SendAsync(view)).EnsureSuccessStatusCode();
        await (await team.PatientClient(1).GetAsync($"/api/conversations/{id}")).ProblemAsync(HttpStatusCode.NotFound);

        var accessed = Assert.Single(await fixture.Events.WaitForAsync<ConversationAccessed>(e => e.ConversationId == id));
        Assert.Equal(team.StaffIds[0], accessed.ActorId);
        Assert.Equal(Roles.Clinician, accessed.ActorRole);
        Assert.Equal(team.Patients[0].PatientId, accessed.PatientId);
        Assert.Equal(team.Id, accessed.CareTeamId);
        Assert.Matches("^[0-9a-f]{32}$", accessed.CorrelationId);
        Assert.Equal("198.51.100.23", accessed.ClientIp);
        Assert.Equal(1, await fixture.CountOutboxAsync<ConversationAccessed>(id));
    }

    [Fact]
    public async Task Events_written_while_the_broker_is_down_are_published_when_it_returns()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        var id = (await staff.StartAsync(team.Patients[0].PatientId)).Id;
        await fixture.Events.WaitForAsync<MessageSent>(e => e.ConversationId == id);

        await fixture.Infrastructure.StopResourceAsync(ResourceNames.Messaging);
        var sentDuringOutage = new List<Guid>();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                // Writes go on: the events wait in the outbox.
                sentDuringOutage.Add((await staff.SendAsync(id, $"during outage {i}")).Id);
            }

            Assert.True(await UnsentAsync() >= 10);
        }
        finally
        {
            await fixture.Infrastructure.StartResourceAsync(ResourceNames.Messaging);
        }

        var delivered = await fixture.Events.WaitForAsync<MessageSent>(e => sentDuringOutage.Contains(e.MessageId), count: 10, timeout: TimeSpan.FromSeconds(90));
        Assert.Equal(sentDuringOutage.Order(), delivered.Select(e => e.MessageId).Distinct().Order());
        Assert.Equal(Enumerable.Range(2, 10).Select(i => (long)i), delivered.DistinctBy(e => e.MessageId).Select(e => e.Sequence).Order());
        await WaitUntilAsync(async () => await UnsentAsync() == 0);
    }

    [Fact]
    public async Task Two_replicas_share_the_outbox_and_publish_every_event_once()
    {
        var team = await fixture.CreateTeamAsync();
        await using var replica = fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["Encryption:ActiveKeyId"] = ConversationServiceFixture.FirstKeyId,
            [$"Encryption:Keys:{ConversationServiceFixture.FirstKeyId}"] = fixture.FirstKey,
        });
        using var first = team.StaffClient();
        using var second = fixture.Client(fixture.Tokens.Staff(team.StaffIds[1], [team.Id]), replica);
        var id = (await first.StartAsync(team.Patients[0].PatientId)).Id;

        var sends = Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? first : second).SendAsync(id, $"replica message {i}"));
        var sent = await Task.WhenAll(sends);

        var delivered = await fixture.Events.WaitForAsync<MessageSent>(e => e.ConversationId == id, count: 41);
        Assert.Equal(Enumerable.Range(1, 41).Select(i => (long)i), delivered.Select(e => e.Sequence).Order());
        Assert.Equal(sent.Length + 1, fixture.Events.MessageIds<MessageSent>().Count(mid => delivered.Any(e => e.EventId == mid)));
    }

    private async Task<long> UnsentAsync()
    {
        await using var db = await fixture.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", db);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Testing.TestTimeouts.EventDelivery;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true in time.");
            await Task.Delay(200);
        }
    }
}
