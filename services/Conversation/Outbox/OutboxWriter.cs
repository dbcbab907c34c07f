using System.Diagnostics;
using System.Text.Json;
using CareMessaging.Contracts;
using CareMessaging.Conversation.Data;

namespace CareMessaging.Conversation.Outbox;

/// <summary>
/// Adds integration events to the outbox table through the request's <see cref="ConversationDbContext"/>,
/// so they commit or roll back with the change they describe. Once they are committed,
/// <see cref="OutboxCommitInterceptor"/> wakes the dispatcher.
/// </summary>
public sealed class OutboxWriter(ConversationDbContext db, TimeProvider clock)
{
    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public void Enqueue<TEvent>(TEvent integrationEvent) where TEvent : class, IIntegrationEvent =>
        db.OutboxMessages.Add(new OutboxMessage
        {
            EventId = integrationEvent.EventId,
            EventType = typeof(TEvent).FullName!,
            Payload = JsonSerializer.Serialize(integrationEvent, JsonOptions),
            CreatedAt = clock.StoredUtcNow(),
            TraceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.Id : null,
        });
}
