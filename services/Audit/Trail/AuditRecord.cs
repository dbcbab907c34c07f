namespace CareMessaging.Audit.Trail;

/// <summary>
/// One entry of the audit trail: who (actor and role) did what (action) to which patient and
/// conversation, when, seen by which service, with the request's trace id and client address.
/// The database assigns <see cref="Id"/>, <see cref="RecordedAt"/> and the two hashes when the
/// entry is appended (see docs/decisions/0030-audit-hash-chain.md); rows are never changed.
/// </summary>
public sealed class AuditRecord
{
    public long Id { get; set; }

    /// <summary>The integration event recorded; unique, so a redelivered event is recorded once.</summary>
    public Guid EventId { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public required string Action { get; set; }

    public required string ActorId { get; set; }

    public required string ActorRole { get; set; }

    public required string SourceService { get; set; }

    /// <summary>The patient ID as people use it (for example "P-100234"), when the action concerns a patient.</summary>
    public string? PatientId { get; set; }

    public Guid? ConversationId { get; set; }

    /// <summary>The W3C trace id of the request or message that caused the entry.</summary>
    public string? CorrelationId { get; set; }

    public string? ClientIp { get; set; }

    /// <summary>Ids and counts specific to the action, as compact JSON; never message text.</summary>
    public string? Details { get; set; }

    /// <summary>The hash of the record before this one in the chain (64 zeros for the first).</summary>
    public string PreviousHash { get; set; } = string.Empty;

    /// <summary>SHA-256 (hex) of this record's canonical form, which includes <see cref="PreviousHash"/>.</summary>
    public string Hash { get; set; } = string.Empty;
}

/// <summary>Action names as they appear in the trail.</summary>
public static class AuditActions
{
    public const string ServiceStarted = "service.started";
    public const string ConversationStarted = "conversation.started";
    public const string MessageSent = "message.sent";
    public const string ConversationRead = "conversation.read";
    public const string ConversationStatusChanged = "conversation.status_changed";
    public const string ConversationViewed = "conversation.viewed";
    public const string PatientProfileViewed = "patient.profile_viewed";
    public const string ConversationsListed = "conversation.listed";
    public const string PatientsListed = "patient.directory_listed";
    public const string SignInSucceeded = "identity.sign_in_succeeded";
    public const string SignInFailed = "identity.sign_in_failed";
    public const string AccountLockedOut = "identity.account_locked_out";
    public const string MfaEnrolled = "identity.mfa_enrolled";
    public const string EnrolmentCodeIssued = "identity.enrolment_code_issued";
    public const string EnrolmentCodeUsed = "identity.enrolment_code_used";
    public const string EnrolmentCodeRefused = "identity.enrolment_code_refused";
    public const string AuthenticatorReset = "identity.authenticator_reset";
    public const string SignInThrottled = "identity.sign_in_throttled";
    public const string SignInStormDetected = "identity.sign_in_storm_detected";
    public const string SessionEnded = "identity.session_ended";
    public const string SignedOut = "identity.signed_out";
    public const string SessionRevoked = "identity.session_revoked";
    public const string Purged = "audit.purged";
    public const string Exported = "audit.exported";
    public const string Searched = "audit.searched";
    public const string ViewersListed = "audit.viewers_listed";
}
