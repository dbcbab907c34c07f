using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace CareMessaging.Contracts.Conversations;

// The Conversation service's HTTP API (/api/conversations, /api/patients): what it accepts and what
// it answers. The service, the web front end, the other services and the tests all use these
// records, so the two sides cannot disagree about a shape.

/// <summary>The limits the Conversation API enforces; forms and clients show and check the same numbers.</summary>
public static class ConversationLimits
{
    public const int TopicMinLength = 3;
    public const int TopicMaxLength = 120;

    /// <summary>Characters in a message body, counted as the server stores them (a line break is one).</summary>
    public const int BodyMaxLength = 5000;

    public const int ClientMessageIdMaxLength = 100;
    public const int PatientIdMaxLength = 32;

    /// <summary>Characters in a search term (conversations and the patient directory).</summary>
    public const int SearchMaxLength = 200;

    public const int DefaultListLimit = 50;
    public const int MaxListLimit = 100;

    public const int DefaultMessageLimit = 50;
    public const int MaxMessageLimit = 100;

    public const int DefaultPatientLimit = 50;
    public const int MaxPatientLimit = 100;

    public const int DefaultExportLimit = 100;
    public const int MaxExportLimit = 500;
}

/// <summary>Which conversations a list shows, by the caller's unread state.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReadFilter>))]
public enum ReadFilter
{
    All,
    Unread,
    Read,
}

/// <summary>The workflow moves staff can make on a conversation: POST /api/conversations/{id}/{move}.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StatusMove>))]
public enum StatusMove
{
    Resolve,
    Archive,
    Reopen,
}

/// <summary>POST /api/conversations: a new conversation with its first message.</summary>
public sealed record StartConversationRequest(string? PatientId, string? Topic, string? Body, string? ClientMessageId);

/// <summary>POST /api/conversations/{id}/messages.</summary>
public sealed record SendMessageRequest(string? Body, string? ClientMessageId);

/// <summary>POST /api/conversations/{id}/read: move the caller's read horizon up to this message.</summary>
public sealed record MarkReadRequest(string? UpToMessageId);

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

/// <summary>GET /api/conversations: a page of the caller's conversations, latest activity first.</summary>
public sealed record ConversationListPage(IReadOnlyList<ConversationListItem> Items, string? NextCursor);

/// <summary>GET /api/conversations/{id}: a conversation, as its list item shows it, with its latest messages in chronological order.</summary>
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

/// <summary>One message as a reader sees it.</summary>
public sealed record MessageView
{
    public required Guid Id { get; init; }

    public required Guid ConversationId { get; init; }

    public required long Sequence { get; init; }

    public required string SenderId { get; init; }

    public required string SenderName { get; init; }

    public required SenderKind SenderKind { get; init; }

    /// <summary>The text exactly as sent; markup is text, never rendered.</summary>
    public required string Body { get; init; }

    public required DateTimeOffset SentAt { get; init; }

    /// <summary>The caller sent it.</summary>
    public required bool FromMe { get; init; }
}

/// <summary>
/// GET /api/conversations/{id}/messages: messages in chronological order. <see cref="NextBefore"/>
/// fetches the page before (null at the start); with <c>after</c>, the page holds the messages
/// that follow it and <see cref="NextBefore"/> is null.
/// </summary>
public sealed record MessagePage(IReadOnlyList<MessageView> Items, long? NextBefore);

/// <summary>POST /api/conversations/{id}/read: the caller's read state of the conversation afterwards.</summary>
public sealed record ReadStateView(Guid ConversationId, long ReadUpToSequence, long UnreadCount);

/// <summary>GET /api/patients: a patient as the directory shows them to their care team.</summary>
public sealed record PatientView
{
    public required string PatientId { get; init; }

    public required string GivenName { get; init; }

    public required string FamilyName { get; init; }

    public required string Name { get; init; }

    public required string Initials { get; init; }

    public required DateOnly DateOfBirth { get; init; }

    public required string CareTeamId { get; init; }

    public required string CareTeamName { get; init; }

    public required bool HasPortalAccount { get; init; }
}

/// <summary>GET /api/patients/{patientId}: a patient's profile with the conversations the caller can see.</summary>
public sealed record PatientProfile(PatientView Patient, IReadOnlyList<ConversationListItem> Conversations);

/// <summary>POST /api/conversations/internal/outbox/prune: how many sent outbox rows past their retention were deleted.</summary>
public sealed record OutboxPruneResult(int Deleted);
