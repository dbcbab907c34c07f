using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.Clients;
using CareMessaging.Contracts.Conversations;
using RabbitMQ.Client;
using Xunit;

namespace CareMessaging.Testing;

/// <summary>
/// One conversation driven across replicas, as the scaled-out AppHost and the podman run of the
/// chart both check it: messages written through one gateway replica reach every hub connection,
/// whichever notification replica consumed them, and count exactly once in the reader's unread
/// counts, the stats and the audit trail, whose chain stays unbroken.
/// </summary>
public static class CrossReplicaConversation
{
    /// <summary>The queues whose events every scaled-out consumer shares with its other replica.</summary>
    public static readonly IReadOnlyList<string> SharedQueues = ["notification-message-sent", "stats-message-sent", "audit-message-sent"];

    /// <summary>Starts a conversation about <paramref name="patientId"/> and sends <paramref name="sends"/> more messages; returns it and every message, in order.</summary>
    public static async Task<(Guid ConversationId, IReadOnlyList<Guid> Messages)> WriteAsync(HttpClient writer, string patientId, string topic, int sends)
    {
        var conversations = new ConversationsClient(writer);
        var thread = await conversations.StartAsync(new StartConversationRequest(patientId, topic, "First message", Guid.NewGuid().ToString())).OrThrowAsync();
        var messages = new List<Guid> { thread.Messages.Items.Single().Id };
        for (var i = 0; i < sends; i++)
        {
            messages.Add((await conversations.SendAsync(thread.Id, new SendMessageRequest($"Message {i}", Guid.NewGuid().ToString())).OrThrowAsync()).Id);
        }

        return (thread.Id, messages);
    }

    /// <summary>Each connection receives a messageArrived push for every message.</summary>
    public static async Task AssertEveryConnectionReceivesEveryMessageAsync(IEnumerable<NotificationPushRecorder> connections, IReadOnlyList<Guid> messages)
    {
        foreach (var connection in connections)
        {
            await connection.AllArrivedAsync(messages);
        }
    }

    /// <summary>
    /// The reader's unread count for the conversation, the stats and the audit trail each count
    /// every message once; the reader then opens the thread, which the audit trail records.
    /// </summary>
    public static async Task AssertCountedOnceAsync(HttpClient reader, HttpClient complianceOfficer, string patientId, Guid conversationId, int messages)
    {
        var unread = await Eventually.Until(
            () => new NotificationsClient(reader).UnreadAsync(),
            r => r.Value?.Conversations.Any(c => c.ConversationId == conversationId && c.Unread == messages) == true);
        Assert.Equal(messages, unread.Value!.Conversations.Single(c => c.ConversationId == conversationId).Unread);

        var conversations = new ConversationsClient(reader);
        var truth = await conversations.SummaryAsync().OrThrowAsync();
        var stats = await Eventually.Until(
            () => new StatsClient(reader).GetAsync(),
            s => s.Value is { } v && v.TotalMessages == truth.TotalMessages && v.TotalConversations == truth.TotalConversations);
        Assert.Equal(
            (truth.TotalConversations, truth.TotalMessages, truth.UniquePatients),
            (stats.Value!.TotalConversations, stats.Value.TotalMessages, stats.Value.UniquePatients));

        await conversations.GetAsync(conversationId).OrThrowAsync();
        var records = await Eventually.Until(
            () => complianceOfficer.GetFromJsonAsync<JsonElement>($"/api/audit/records?patientId={patientId}&limit=500"),
            page => Actions(page, conversationId).Count(a => a == "message.sent") == messages && Actions(page, conversationId).Contains("conversation.viewed"));
        Assert.Equal(messages, Actions(records, conversationId).Count(a => a == "message.sent"));
        Assert.Contains("conversation.viewed", Actions(records, conversationId));
        // Both audit replicas append to one hash chain; it stays unbroken.
        Assert.True((await complianceOfficer.GetFromJsonAsync<JsonElement>("/api/audit/verify")).GetProperty("valid").GetBoolean());
    }

    /// <summary>Every queue of <see cref="SharedQueues"/> has one consumer per replica (competing consumers).</summary>
    public static async Task AssertEveryReplicaConsumesAsync(string messagingConnectionString, int replicas)
    {
        var factory = new ConnectionFactory { Uri = new Uri(messagingConnectionString) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in SharedQueues)
        {
            var declared = await channel.QueueDeclarePassiveAsync(queue);
            Assert.True(declared.ConsumerCount == replicas, string.Create(CultureInfo.InvariantCulture, $"{queue} has {declared.ConsumerCount} consumers, not {replicas}"));
        }
    }

    private static List<string> Actions(JsonElement page, Guid conversationId) =>
        page.GetProperty("items").EnumerateArray()
            .Where(r => r.TryGetProperty("conversationId", out var id) && id.ValueKind == JsonValueKind.String && id.GetGuid() == conversationId)
            .Select(r => r.GetProperty("action").GetString()!)
            .ToList();
}
