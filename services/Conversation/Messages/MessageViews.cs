using CareMessaging.Contracts.Conversations;

namespace CareMessaging.Conversation.Messages;

/// <summary>One message as a reader sees it.</summary>
public sealed record MessageView
{
    public required Guid Id { get; init; }

    public required Guid ConversationId { get; init; }

    public required long Sequence { get; init; }

    public required string SenderId { get; init; }

    public required string SenderName { get; init; }

    public required SenderKind SenderKind { get; init; }

    /// <summary>The text exactly as sent; markup is text, never rendered here.</summary>
    public required string Body { get; init; }

    public required DateTimeOffset SentAt { get; init; }

    /// <summary>The caller sent it.</summary>
    public required bool FromMe { get; init; }
}

/// <summary>Messages in chronological order; <see cref="NextBefore"/> fetches the page before, or is null at the start.</summary>
public sealed record MessagePage(IReadOnlyList<MessageView> Items, long? NextBefore);
