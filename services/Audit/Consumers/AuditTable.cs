using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Contracts.Identity;
using CareMessaging.Contracts.Operations;

namespace CareMessaging.Audit.Consumers;

/// <summary>
/// Every event the audit trail records and what it writes for it, one row per event: the action,
/// the service that publishes the event, who acted in which role, on which patient and
/// conversation, from which address, under which trace id, and the details. An auditor reviews the
/// trail's content here; the service registers one <see cref="AuditConsumer{TEvent}"/> per row.
/// Every record also carries the event's id (a redelivery is recorded once) and its time.
/// </summary>
public static class AuditTable
{
    public static IReadOnlyList<AuditRow> Rows { get; } =
    [
        // The Conversation service, through its outbox: ids only, never a topic or message text.
        AuditRow.For<ConversationStarted>(AuditActions.ConversationStarted, ResourceNames.Conversation, e => new(e.ActorId, e.ActorRole)
        {
            PatientId = e.PatientId, ConversationId = e.ConversationId, Details = new { e.CareTeamId },
        }),
        AuditRow.For<MessageSent>(AuditActions.MessageSent, ResourceNames.Conversation, e => new(e.ActorId, e.ActorRole)
        {
            PatientId = e.PatientId, ConversationId = e.ConversationId,
            Details = new { e.MessageId, e.Sequence, SenderKind = e.SenderKind.ToString() },
        }),
        AuditRow.For<ConversationRead>(AuditActions.ConversationRead, ResourceNames.Conversation, e => new(e.ActorId, e.ActorRole)
        {
            PatientId = e.PatientId, ConversationId = e.ConversationId, Details = new { e.ReadUpToSequence },
        }),
        AuditRow.For<ConversationStatusChanged>(AuditActions.ConversationStatusChanged, ResourceNames.Conversation, e => new(e.ActorId, e.ActorRole)
        {
            PatientId = e.PatientId, ConversationId = e.ConversationId,
            Details = new { From = e.PreviousStatus.ToString(), To = e.Status.ToString() },
        }),

        // Access events: the entries behind "who viewed this patient's messages".
        AuditRow.For<ConversationAccessed>(AuditActions.ConversationViewed, ResourceNames.Conversation, e => new(e.ActorId, e.ActorRole)
        {
            PatientId = e.PatientId, ConversationId = e.ConversationId, ClientIp = e.ClientIp, CorrelationId = e.CorrelationId,
            Details = new { e.CareTeamId },
        }),
        AuditRow.For<PatientProfileAccessed>(AuditActions.PatientProfileViewed, ResourceNames.Conversation, e => new(e.ActorId, e.ActorRole)
        {
            PatientId = e.PatientId, ClientIp = e.ClientIp, CorrelationId = e.CorrelationId, Details = new { e.CareTeamId },
        }),
        // A page of a list, a search, the read-model export or the directory (ADR 0018): one record per page, naming
        // everything it showed in the details, never the search term; "who viewed" finds a patient among them.
        AuditRow.For<ConversationsListed>(AuditActions.ConversationsListed, ResourceNames.Conversation, e => new(e.ActorId, e.ActorRole)
        {
            ClientIp = e.ClientIp, CorrelationId = e.CorrelationId,
            Details = new { Kind = e.Kind.ToString(), e.ConversationIds, e.PatientIds },
        }),
        AuditRow.For<PatientsListed>(AuditActions.PatientsListed, ResourceNames.Conversation, e => new(e.ActorId, e.ActorRole)
        {
            ClientIp = e.ClientIp, CorrelationId = e.CorrelationId, Details = new { e.Searched, e.PatientIds },
        }),

        // The Identity service: ids, reasons and addresses; never a typed user name, a password or a code.
        AuditRow.For<SignInSucceeded>(AuditActions.SignInSucceeded, ResourceNames.Identity, e => new(e.UserId, e.Role)
        {
            ClientIp = e.ClientIp, Details = new { e.SessionId, e.MultiFactor },
        }),
        // The actor is unknown when no account matched what was typed.
        AuditRow.For<SignInFailed>(AuditActions.SignInFailed, ResourceNames.Identity, e => new(e.UserId ?? AuditEntry.UnknownActor, AuditEntry.UnknownRole)
        {
            ClientIp = e.ClientIp, Details = new { Reason = e.Reason.ToString() },
        }),
        AuditRow.For<AccountLockedOut>(AuditActions.AccountLockedOut, ResourceNames.Identity, e => new(e.UserId, AuditEntry.UnknownRole)
        {
            ClientIp = e.ClientIp, Details = new { e.LockedUntil },
        }),
        AuditRow.For<SignInThrottled>(AuditActions.SignInThrottled, ResourceNames.Identity, e => new(e.UserId ?? AuditEntry.UnknownActor, AuditEntry.UnknownRole)
        {
            ClientIp = e.ClientIp, Details = new { e.Failures, e.Until },
        }),
        // An alert for whoever watches the trail: many accounts, or one account from many addresses, slowed down at once.
        AuditRow.For<SignInStormDetected>(AuditActions.SignInStormDetected, ResourceNames.Identity, e => new(e.UserId ?? AuditEntry.UnknownActor, AuditEntry.SystemRole)
        {
            Details = new { e.ThrottledAccounts, e.ThrottledAddresses, e.Window },
        }),
        AuditRow.For<MfaEnrolled>(AuditActions.MfaEnrolled, ResourceNames.Identity, e => new(e.UserId, AuditEntry.UnknownRole)),
        // Authenticator enrolment bound to an administrator's one-time code (ADR 0029): who issued, used, failed or reset.
        AuditRow.For<EnrolmentCodeIssued>(AuditActions.EnrolmentCodeIssued, ResourceNames.Identity, e => new(e.IssuedBy, Roles.Admin)
        {
            Details = new { Account = e.UserId, e.ExpiresAt, e.ReplacedEarlierCode },
        }),
        AuditRow.For<EnrolmentCodeUsed>(AuditActions.EnrolmentCodeUsed, ResourceNames.Identity, e => new(e.UserId, AuditEntry.UnknownRole)
        {
            ClientIp = e.ClientIp, Details = new { e.IssuedBy },
        }),
        AuditRow.For<EnrolmentCodeRefused>(AuditActions.EnrolmentCodeRefused, ResourceNames.Identity, e => new(e.UserId, AuditEntry.UnknownRole)
        {
            ClientIp = e.ClientIp, Details = new { Reason = e.Reason.ToString() },
        }),
        AuditRow.For<AuthenticatorReset>(AuditActions.AuthenticatorReset, ResourceNames.Identity, e => new(e.ResetBy, Roles.Admin)
        {
            Details = new { Account = e.UserId },
        }),

        // The gateway's session store: the actor of a revocation is who revoked it, the owner is in the details.
        AuditRow.For<SignedOut>(AuditActions.SignedOut, ResourceNames.Gateway, e => new(e.UserId, AuditEntry.UnknownRole)
        {
            Details = new { e.SessionId, e.Everywhere },
        }),
        AuditRow.For<SessionRevoked>(AuditActions.SessionRevoked, ResourceNames.Gateway, e => new(e.RevokedBy, AuditEntry.UnknownRole)
        {
            Details = new { SessionOwner = e.UserId, e.SessionId },
        }),
        AuditRow.For<SessionEnded>(AuditActions.SessionEnded, ResourceNames.Gateway, e => new(e.UserId, AuditEntry.UnknownRole)
        {
            Details = new { e.SessionId, Reason = e.Reason.ToString() },
        }),

        // Every service, as application activity (ADR 0003): the event names the service that started.
        AuditRow.For<ServiceStarted>(AuditActions.ServiceStarted, e => e.Service, e => new($"service:{e.Service}/{e.InstanceId}", AuditEntry.SystemRole)),
    ];
}
