using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Patients;

namespace CareMessaging.Conversation.Conversations;

/// <summary>
/// A topic-based conversation between a patient and their care team. The patient's care team
/// and the search text are copied onto the row so that listing, filtering and searching need
/// no join.
/// </summary>
public sealed class Conversation
{
    public required Guid Id { get; init; }

    public required string PatientId { get; init; }

    public Patient? Patient { get; init; }

    public required string CareTeamId { get; set; }

    public required string Topic { get; init; }

    public ConversationStatus Status { get; set; } = ConversationStatus.Open;

    public required string CreatedBy { get; init; }

    public required SenderKind CreatedByKind { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset LastActivityAt { get; set; }

    /// <summary>Messages so far; also the sequence number of the latest message.</summary>
    public long MessageCount { get; set; }

    public string LastSenderId { get; set; } = string.Empty;

    public SenderKind LastSenderKind { get; set; }

    /// <summary>The start of the latest message, encrypted (see Encryption/).</summary>
    public byte[] LastMessagePreview { get; set; } = [];

    public string PreviewKeyId { get; set; } = string.Empty;

    /// <summary>Lower-cased topic, patient ID and patient names, trigram-indexed for substring search.</summary>
    public string SearchText { get; set; } = string.Empty;

    /// <summary>"Awaiting response": the latest message is from the patient.</summary>
    public bool AwaitingResponse => LastSenderKind == SenderKind.Patient;

    public ConversationKeys Keys => new(Id, PatientId, CareTeamId);

    public void RefreshSearchText(Patient patient) =>
        SearchText = string.Join(PatientNames.FieldSeparator, Topic.ToLowerInvariant(),
            PatientNames.SearchText(patient.PatientId, patient.GivenName, patient.FamilyName));
}
