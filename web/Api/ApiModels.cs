using CareMessaging.Contracts.Conversations;

namespace CareMessaging.Web.Api;

/// <summary>One conversation as the caller's list shows it (GET /api/conversations).</summary>
public record ConversationSummary
{
    public required Guid Id { get; init; }

    public required string PatientId { get; init; }

    public required string PatientName { get; init; }

    public string PatientInitials { get; init; } = string.Empty;

    public string CareTeamId { get; init; } = string.Empty;

    public required string Topic { get; init; }

    public ConversationStatus Status { get; init; }

    public string LastMessagePreview { get; init; } = string.Empty;

    public SenderKind LastSenderKind { get; init; }

    public DateTimeOffset LastActivityAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public long MessageCount { get; init; }

    /// <summary>Messages after the caller's read horizon not sent by the caller.</summary>
    public long UnreadCount { get; init; }

    public bool AwaitingResponse { get; init; }

    /// <summary>Initials from the service, or from the name when it sends none.</summary>
    public string Initials => PatientInitials is { Length: > 0 } ? PatientInitials : PersonName.Initials(PatientName);
}

/// <summary>A page of the caller's conversations, latest activity first; <see cref="NextCursor"/> fetches the next.</summary>
public sealed record ConversationPage(IReadOnlyList<ConversationSummary> Items, string? NextCursor);

/// <summary>One message as a reader sees it.</summary>
public sealed record MessageItem
{
    public required Guid Id { get; init; }

    public Guid ConversationId { get; init; }

    public required long Sequence { get; init; }

    public string SenderId { get; init; } = string.Empty;

    public string SenderName { get; init; } = string.Empty;

    public SenderKind SenderKind { get; init; }

    /// <summary>The text exactly as sent; Razor encodes it when it renders.</summary>
    public required string Body { get; init; }

    public DateTimeOffset SentAt { get; init; }

    /// <summary>The caller sent it.</summary>
    public bool FromMe { get; init; }
}

/// <summary>Messages in chronological order; <see cref="NextBefore"/> fetches the earlier page, or is null at the start.</summary>
public sealed record MessagePage(IReadOnlyList<MessageItem> Items, long? NextBefore);

/// <summary>
/// A conversation with its latest messages (GET /api/conversations/{id}): the list item's fields,
/// the caller's read horizon and the messages.
/// </summary>
public sealed record ConversationThread : ConversationSummary
{
    /// <summary>The caller's read horizon: every message up to this sequence is read.</summary>
    public long ReadUpToSequence { get; init; }

    public required MessagePage Messages { get; init; }
}

/// <summary>A patient of the caller's care teams (GET /api/patients).</summary>
public sealed record PatientSummary
{
    public required string PatientId { get; init; }

    public string GivenName { get; init; } = string.Empty;

    public string FamilyName { get; init; } = string.Empty;

    public string? Name { get; init; }

    public DateOnly? DateOfBirth { get; init; }

    public string CareTeamId { get; init; } = string.Empty;

    public string? CareTeamName { get; init; }

    public string DisplayName => Name is { Length: > 0 } ? Name : $"{GivenName} {FamilyName}".Trim();

    public string Initials => PersonName.Initials(DisplayName);

    public string CareTeamDisplayName => CareTeamName is { Length: > 0 } ? CareTeamName : CareTeamId;
}

/// <summary>A patient's profile with all their conversations (GET /api/patients/{id}).</summary>
public sealed record PatientProfile
{
    public required PatientSummary Patient { get; init; }

    public IReadOnlyList<ConversationSummary> Conversations { get; init; } = [];
}

/// <summary>What a client sends to start a conversation.</summary>
public sealed record StartConversationRequest(string PatientId, string Topic, string Body, Guid ClientMessageId);

/// <summary>What a client sends to add a message.</summary>
public sealed record SendMessageRequest(string Body, Guid ClientMessageId);

/// <summary>Moves the caller's read horizon up to a message.</summary>
public sealed record MarkReadRequest(Guid UpToMessageId);

/// <summary>Which conversations a list shows, by the caller's unread state.</summary>
public enum ListFilter
{
    All,
    Unread,
    Read,
}

/// <summary>How names become the initials an avatar shows.</summary>
public static class PersonName
{
    public static string Initials(string name)
    {
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length switch
        {
            0 => "?",
            1 => parts[0][..1].ToUpperInvariant(),
            _ => string.Concat(parts[0][..1], parts[^1][..1]).ToUpperInvariant(),
        };
    }
}
