namespace CareMessaging.Conversation.Outbox;

/// <summary>
/// An integration event waiting to be published, written in the same transaction as the change
/// it describes, so that a change is never committed without its event (or the reverse).
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; init; }

    public required Guid EventId { get; init; }

    /// <summary>The event's type name in Contracts, for example <c>CareMessaging.Contracts.Conversations.MessageSent</c>.</summary>
    public required string EventType { get; init; }

    /// <summary>The event as JSON. Events carry ids and counts only, never message text.</summary>
    public required string Payload { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the request that wrote the event, so that its publication and
    /// everything the consumers do continue that request's trace.
    /// </summary>
    public string? TraceParent { get; init; }

    public DateTimeOffset? SentAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }
}
