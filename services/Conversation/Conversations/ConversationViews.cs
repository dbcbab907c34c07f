using System.Diagnostics.CodeAnalysis;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Messages;

namespace CareMessaging.Conversation.Conversations;

/// <summary>Which conversations a list shows, by the caller's unread state.</summary>
public enum ReadFilter
{
    All,
    Unread,
    Read,
}

/// <summary>One conversation as the caller's list shows it.</summary>
public record ConversationListItem
{
    public required Guid Id { get; init; }

    public required string PatientId { get; init; }

    public required string PatientName { get; init; }

    public required string PatientInitials { get; init; }

    public required string CareTeamId { get; init; }

    public required string Topic { get; init; }

    public required ConversationStatus Status { get; init; }

    public required string LastMessagePreview { get; init; }

    public required SenderKind LastSenderKind { get; init; }

    public required DateTimeOffset LastActivityAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required long MessageCount { get; init; }

    /// <summary>Messages after the caller's read horizon not sent by the caller.</summary>
    public required long UnreadCount { get; init; }

    /// <summary>The latest message is from the patient.</summary>
    public required bool AwaitingResponse { get; init; }
}

/// <summary>A page of the caller's conversations, latest activity first.</summary>
public sealed record ConversationListPage(IReadOnlyList<ConversationListItem> Items, string? NextCursor);

/// <summary>A conversation, as its list item shows it, with its latest messages in chronological order.</summary>
public sealed record ConversationThread : ConversationListItem
{
    public ConversationThread()
    {
    }

    [SetsRequiredMembers]
    public ConversationThread(ConversationListItem item, string createdBy, SenderKind createdByKind, long readUpToSequence, MessagePage messages)
        : base(item)
    {
        CreatedBy = createdBy;
        CreatedByKind = createdByKind;
        ReadUpToSequence = readUpToSequence;
        Messages = messages;
    }

    public required string CreatedBy { get; init; }

    public required SenderKind CreatedByKind { get; init; }

    /// <summary>The caller's read horizon: every message up to this sequence is read.</summary>
    public required long ReadUpToSequence { get; init; }

    public required MessagePage Messages { get; init; }
}
