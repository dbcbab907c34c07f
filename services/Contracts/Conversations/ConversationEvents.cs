using System.Text.Json.Serialization;

namespace CareMessaging.Contracts.Conversations;

// Events owned by the Conversation service. They carry ids and counts only: never a message
// body, a topic or a patient's name (PHI minimisation); consumers that need more ask the
// Conversation service over HTTP. Enums travel as their names, whatever serializer options a
// consumer or an HTTP client uses.

/// <summary>Who sent a message: a member of the care team or the patient.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SenderKind>))]
public enum SenderKind
{
    Staff,
    Patient,
}

/// <summary>Where a conversation is in its workflow: inquiry and exchange (Open), Resolved, Archived (read-only until reopened).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConversationStatus>))]
public enum ConversationStatus
{
    Open,
    Resolved,
    Archived,
}

/// <summary>
/// The fields every event about a conversation starts with: a new time-ordered event id, when,
/// who acted in which role, and the conversation's ids. Made once by the Conversation service and
/// handed to each event's constructor, so no event assembles them by hand.
/// </summary>
public sealed record ConversationEventHeader(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string ActorId,
    string ActorRole,
    Guid ConversationId,
    string PatientId,
    string CareTeamId);

/// <summary>
/// An event about one conversation. It is created from a <see cref="ConversationEventHeader"/>
/// (the parameterless constructors are for serializers), and each event's own fields stay
/// <c>required</c>. On the wire the header's fields sit beside the event's own, as before.
/// </summary>
public abstract record ConversationEvent : IIntegrationEvent
{
    protected const string SerializersOnly = "For serializers only: create the event from its header.";

    [Obsolete(SerializersOnly, error: true)]
    protected ConversationEvent()
    {
    }

    protected ConversationEvent(ConversationEventHeader header)
    {
        EventId = header.EventId;
        OccurredAt = header.OccurredAt;
        ActorId = header.ActorId;
        ActorRole = header.ActorRole;
        ConversationId = header.ConversationId;
        PatientId = header.PatientId;
        CareTeamId = header.CareTeamId;
    }

    public Guid EventId { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>The user (sub) who acted: started, sent, read, changed or viewed.</summary>
    public string ActorId { get; init; } = string.Empty;

    public string ActorRole { get; init; } = string.Empty;

    public Guid ConversationId { get; init; }

    /// <summary>The patient ID as people use it, for example "P-100234".</summary>
    public string PatientId { get; init; } = string.Empty;

    /// <summary>The patient's care team; staff of this team share the conversation.</summary>
    public string CareTeamId { get; init; } = string.Empty;
}

/// <summary>A conversation was created, together with its first message (published as its own <see cref="MessageSent"/>).</summary>
public sealed record ConversationStarted : ConversationEvent
{
    [Obsolete(SerializersOnly, error: true)]
    public ConversationStarted()
    {
    }

    public ConversationStarted(ConversationEventHeader header)
        : base(header)
    {
    }

    /// <summary>User ids of everyone who can read the conversation: the care team's staff and the patient's own account, if any.</summary>
    public required IReadOnlyList<string> Audience { get; init; }
}

/// <summary>A message was added to a conversation.</summary>
public sealed record MessageSent : ConversationEvent
{
    [Obsolete(SerializersOnly, error: true)]
    public MessageSent()
    {
    }

    public MessageSent(ConversationEventHeader header)
        : base(header)
    {
    }

    public required SenderKind SenderKind { get; init; }

    public required Guid MessageId { get; init; }

    /// <summary>The message's position in its conversation, from 1, without gaps; read horizons are expressed in it.</summary>
    public required long Sequence { get; init; }

    /// <summary>Messages in the conversation including this one.</summary>
    public required long MessageCount { get; init; }

    /// <summary>User ids of everyone who can read the conversation, the sender included.</summary>
    public required IReadOnlyList<string> Audience { get; init; }
}

/// <summary>A reader moved their read horizon forward. Unread for a reader = messages with a larger sequence not sent by them.</summary>
public sealed record ConversationRead : ConversationEvent
{
    [Obsolete(SerializersOnly, error: true)]
    public ConversationRead()
    {
    }

    public ConversationRead(ConversationEventHeader header)
        : base(header)
    {
    }

    /// <summary>The reader's horizon after the change: every message up to this sequence is read.</summary>
    public required long ReadUpToSequence { get; init; }
}

/// <summary>A conversation was resolved, archived or reopened.</summary>
public sealed record ConversationStatusChanged : ConversationEvent
{
    [Obsolete(SerializersOnly, error: true)]
    public ConversationStatusChanged()
    {
    }

    public ConversationStatusChanged(ConversationEventHeader header)
        : base(header)
    {
    }

    public required ConversationStatus PreviousStatus { get; init; }

    public required ConversationStatus Status { get; init; }
}

/// <summary>Someone viewed a conversation's thread: an access event for the audit trail.</summary>
public sealed record ConversationAccessed : ConversationEvent
{
    [Obsolete(SerializersOnly, error: true)]
    public ConversationAccessed()
    {
    }

    public ConversationAccessed(ConversationEventHeader header)
        : base(header)
    {
    }

    /// <summary>The W3C trace id of the request, to find it in the telemetry.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The caller's address as the gateway saw it.</summary>
    public string? ClientIp { get; init; }
}

/// <summary>Someone viewed a patient's profile: an access event for the audit trail.</summary>
public sealed record PatientProfileAccessed : IIntegrationEvent
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string ActorId { get; init; }

    public required string ActorRole { get; init; }

    public required string PatientId { get; init; }

    public required string CareTeamId { get; init; }

    public string? CorrelationId { get; init; }

    public string? ClientIp { get; init; }
}

/// <summary>How a page of conversations was reached: the kind of access "who viewed" reports.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ListingKind>))]
public enum ListingKind
{
    /// <summary>A page of the caller's list (inbox, portal, a tab or a status).</summary>
    List,

    /// <summary>A page of the list for a search term; the term itself is never recorded.</summary>
    Search,

    /// <summary>A page of the read-model export, fetched by a service to rebuild its read model.</summary>
    Export,
}

/// <summary>
/// Someone was shown a page of conversations, each with its patient's name and the start of its
/// latest message: one access event per page, naming every conversation and patient on it, and
/// never what was searched for (it is often a patient's name).
/// </summary>
public sealed record ConversationsListed : IIntegrationEvent
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string ActorId { get; init; }

    public required string ActorRole { get; init; }

    public required ListingKind Kind { get; init; }

    /// <summary>The conversations on the page, in the order shown.</summary>
    public required IReadOnlyList<Guid> ConversationIds { get; init; }

    /// <summary>The patients of those conversations, each once.</summary>
    public required IReadOnlyList<string> PatientIds { get; init; }

    public string? CorrelationId { get; init; }

    public string? ClientIp { get; init; }
}

/// <summary>
/// Someone was shown a page of the patient directory (names and dates of birth): one access event
/// per page, naming every patient on it, never what was searched for.
/// </summary>
public sealed record PatientsListed : IIntegrationEvent
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string ActorId { get; init; }

    public required string ActorRole { get; init; }

    /// <summary>The patients on the page, in the order shown.</summary>
    public required IReadOnlyList<string> PatientIds { get; init; }

    /// <summary>Whether the page answered a search term (the term itself is never recorded).</summary>
    public required bool Searched { get; init; }

    public string? CorrelationId { get; init; }

    public string? ClientIp { get; init; }
}
