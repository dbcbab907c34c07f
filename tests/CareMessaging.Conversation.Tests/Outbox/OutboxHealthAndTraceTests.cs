using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Tests.Infrastructure;
using CareMessaging.Testing;
using Npgsql;

namespace CareMessaging.Conversation.Tests.Outbox;

[Collection(ConversationServiceCollection.Name)]
public sealed class OutboxHealthAndTraceTests(ConversationServiceFixture fixture)
{
    private readonly OutboxRows _rows = new(fixture);

    [Fact]
    public async Task Health_is_unhealthy_while_an_event_has_waited_too_long_to_be_published_and_healthy_once_it_has_left()
    {
        using var client = fixture.Client(token: null);
        await using (await _rows.HoldUnsentAsync(createdAt: DateTimeOffset.UtcNow.AddMinutes(-10)))
        {
            var (status, outbox) = await HealthAsync(client);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", outbox.GetProperty("status").GetString());
            Assert.Contains("events are not reaching the broker", outbox.GetProperty("description").GetString(), StringComparison.Ordinal);
        }

        var (_, recovered) = await Eventually.Until(() => HealthAsync(client), health => health.Status == HttpStatusCode.OK);
        Assert.Equal("Healthy", recovered.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_is_degraded_while_the_backlog_grows_and_healthy_once_it_drains()
    {
        await using var replica = fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["Encryption:ActiveKeyId"] = ConversationServiceFixture.FirstKeyId,
            [$"Encryption:Keys:{ConversationServiceFixture.FirstKeyId}"] = fixture.FirstKey,
            ["Outbox:BacklogThreshold"] = "0",
            ["Outbox:BacklogGrowthWindow"] = "00:00:00.001",
        });
        using var client = fixture.Client(token: null, replica);
        await Eventually.Until(UnsentAsync, unsent => unsent == 0);
        Assert.Equal("Healthy", (await HealthAsync(client)).Outbox.GetProperty("status").GetString());

        await using (await _rows.HoldUnsentAsync(createdAt: DateTimeOffset.UtcNow))
        {
            var (status, outbox) = await HealthAsync(client);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("Degraded", outbox.GetProperty("status").GetString());
            Assert.Contains("faster than the dispatcher publishes them", outbox.GetProperty("description").GetString(), StringComparison.Ordinal);
        }

        var (_, drained) = await Eventually.Until(() => HealthAsync(client), health => health.Outbox.GetProperty("status").GetString() == "Healthy");
        Assert.Contains("0 events waiting", drained.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sent_message_is_published_in_the_trace_of_the_request_that_sent_it()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        var conversation = await staff.StartAsync(team.Patients[0].PatientId);
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var send = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{conversation.Id}/messages")
        {
            Content = JsonContent.Create(new SendMessageRequest("Traced message", Guid.NewGuid().ToString())),
        };
        send.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await staff.SendAsync(send);
        var message = (await response.Content.ReadFromJsonAsync<MessageView>())!;

        await fixture.Events.WaitForAsync<MessageSent>(e => e.MessageId == message.Id);
        var headers = Assert.Single(fixture.Events.HeadersOf<MessageSent>(e => e.MessageId == message.Id));
        Assert.Contains(headers, header => header.Contains(traceId, StringComparison.Ordinal));
        Assert.Contains(traceId, await StoredTraceParentAsync(message.Id), StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Outbox)> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health");
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, report.GetProperty("entries").GetProperty("outbox"));
    }

    private async Task<long> UnsentAsync()
    {
        await using var db = await fixture.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", db);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<string> StoredTraceParentAsync(Guid messageId)
    {
        await using var db = await fixture.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand("SELECT trace_parent FROM outbox_messages WHERE event_type = $1 AND payload->>'messageId' = $2", db);
        command.Parameters.AddWithValue(typeof(MessageSent).FullName!);
        command.Parameters.AddWithValue(messageId.ToString());
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
