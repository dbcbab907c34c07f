using CareMessaging.Contracts.Conversations;

namespace CareMessaging.Conversation.Messages;

/// <summary>One message in a conversation. The body is stored encrypted (see Encryption/).</summary>
public sealed class Message
{
    public required Guid Id { get; init; }

    public required Guid ConversationId { get; init; }

    /// <summary>Position in the conversation, from 1 without gaps; read horizons are expressed in it.</summary>
    public required long Sequence { get; init; }

    public required string SenderId { get; init; }

    public required SenderKind SenderKind { get; init; }

    /// <summary>The sender's name as it was when the message was sent.</summary>
    public required string SenderName { get; init; }

    public required byte[] Body { get; init; }

    public required string BodyKeyId { get; init; }

    /// <summary>Server time (UTC) at which the message was accepted.</summary>
    public required DateTimeOffset SentAt { get; init; }

    /// <summary>The sender's idempotency key: the same key from the same sender is the same message.</summary>
    public required string ClientMessageId { get; init; }
}
