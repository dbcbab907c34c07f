namespace CareMessaging.Contracts.Conversations;

/// <summary>
/// One page of GET /api/conversations/internal/read-model: what the Notification and Stats
/// services need to rebuild their read models from the Conversation service's truth. Served only
/// to service clients holding the <c>caremessaging.readmodel</c> scope. Ids, sequence numbers and
/// times only; no message text.
/// </summary>
public sealed record ReadModelPage
{
    public required IReadOnlyList<ReadModelConversation> Items { get; init; }

    /// <summary>Pass as <c>cursor</c> to get the next page; null on the last page.</summary>
    public string? NextCursor { get; init; }
}

/// <summary>One conversation as the read models see it.</summary>
public sealed record ReadModelConversation
{
    public required Guid ConversationId { get; init; }

    public required string PatientId { get; init; }

    public required string CareTeamId { get; init; }

    public required ConversationStatus Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>User ids of everyone who can read the conversation now.</summary>
    public required IReadOnlyList<string> Audience { get; init; }

    /// <summary>Every message, in sequence order.</summary>
    public required IReadOnlyList<ReadModelMessage> Messages { get; init; }

    /// <summary>Each reader's horizon (user id to the last sequence they have read).</summary>
    public required IReadOnlyDictionary<string, long> ReadHorizons { get; init; }
}

/// <summary>One message as the read models see it.</summary>
public sealed record ReadModelMessage
{
    public required Guid MessageId { get; init; }

    public required long Sequence { get; init; }

    public required string SenderId { get; init; }

    public required SenderKind SenderKind { get; init; }

    public required DateTimeOffset SentAt { get; init; }
}
