namespace CareMessaging.Contracts.Identity;

// Events owned by the Identity service and the gateway's session store, for the audit trail.
// Never a password, a one-time code or a token.

/// <summary>Why a sign-in failed. Shown to the user as one generic message; recorded precisely here.</summary>
public enum SignInFailure
{
    BadCredentials,
    LockedOut,
    MfaCodeRejected,
    NotAllowed,
}

/// <summary>A user signed in and a session began.</summary>
public sealed record SignInSucceeded : IIntegrationEvent
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string UserId { get; init; }

    public required string Role { get; init; }

    public required string SessionId { get; init; }

    /// <summary>True when a second factor was verified.</summary>
    public required bool MultiFactor { get; init; }

    public string? ClientIp { get; init; }
}

/// <summary>A sign-in attempt failed. <see cref="UserId"/> is set only when the account exists.</summary>
public sealed record SignInFailed : IIntegrationEvent
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public string? UserId { get; init; }

    public required SignInFailure Reason { get; init; }

    public string? ClientIp { get; init; }
}

/// <summary>
/// An account locked until <see cref="LockedUntil"/>. Failed attempts no longer lock an account
/// (they are slowed down, <see cref="SignInThrottled"/>); kept for records written before.
/// </summary>
public sealed record AccountLockedOut : IIntegrationEvent
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string UserId { get; init; }

    public required DateTimeOffset LockedUntil { get; init; }

    public string? ClientIp { get; init; }
}

/// <summary>A user enrolled an authenticator app for multi-factor sign-in.</summary>
public sealed record MfaEnrolled : IIntegrationEvent
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string UserId { get; init; }
}

/// <summary>A user signed out of one session, or of all of them.</summary>
public sealed record SignedOut : IIntegrationEvent
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string UserId { get; init; }

    public required string SessionId { get; init; }

    public required bool Everywhere { get; init; }
}

/// <summary>A session was ended by its owner from another device, or by an administrator.</summary>
public sealed record SessionRevoked : IIntegrationEvent
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The owner of the revoked session.</summary>
    public required string UserId { get; init; }

    public required string SessionId { get; init; }

    /// <summary>Who revoked it: the owner or an administrator (sub).</summary>
    public required string RevokedBy { get; init; }
}

/// <summary>
/// Failed sign-ins for one user name from one address passed the free attempts: attempts from that
/// address wait until <see cref="Until"/>. Other addresses, and sessions already signed in, are not
/// affected. <see cref="UserId"/> is set only when the account exists.
/// </summary>
public sealed record SignInThrottled : IIntegrationEvent
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public string? UserId { get; init; }

    public required int Failures { get; init; }

    public required DateTimeOffset Until { get; init; }

    public string? ClientIp { get; init; }
}

/// <summary>
/// An alert: within <see cref="Window"/>, <see cref="ThrottledAccounts"/> user names were being
/// slowed down at once (a password-guessing or lockout campaign), or one account from
/// <see cref="ThrottledAddresses"/> addresses (then <see cref="UserId"/> names it when it exists).
/// </summary>
public sealed record SignInStormDetected : IIntegrationEvent
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public string? UserId { get; init; }

    public required int ThrottledAccounts { get; init; }

    public required int ThrottledAddresses { get; init; }

    public required TimeSpan Window { get; init; }
}

/// <summary>Why the gateway ended a session that nobody signed out.</summary>
public enum SessionEndReason
{
    IdleTimeout,
    AbsoluteTimeout,

    /// <summary>The identity provider refused to refresh the session's token (the account is disabled, or its grant was revoked).</summary>
    RefreshRefused,

    /// <summary>The user signed in again in the same browser, for a fresh sign-in.</summary>
    Replaced,
}

/// <summary>The gateway ended a session on its own (a timeout, a refused refresh), so that every end of a session is in the trail.</summary>
public sealed record SessionEnded : IIntegrationEvent
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string UserId { get; init; }

    public required string SessionId { get; init; }

    public required SessionEndReason Reason { get; init; }
}

/// <summary>Why an authenticator enrolment code was refused. The user sees one message per reason; none names another account.</summary>
public enum EnrolmentCodeRefusal
{
    /// <summary>No code was issued for the account, or the code typed is not the one issued.</summary>
    Wrong,
    Expired,
    AlreadyUsed,

    /// <summary>Too many wrong codes from this address: attempts wait (as sign-in failures do).</summary>
    Throttled,
}

/// <summary>
/// An administrator issued a one-time code with which <see cref="UserId"/> may enrol an
/// authenticator until <see cref="ExpiresAt"/>. A code issued before for the account no longer works.
/// </summary>
public sealed record EnrolmentCodeIssued : IIntegrationEvent
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string UserId { get; init; }

    /// <summary>The administrator (sub).</summary>
    public required string IssuedBy { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>True when an unused code issued before was replaced.</summary>
    public required bool ReplacedEarlierCode { get; init; }
}

/// <summary>An account enrolled its authenticator with the enrolment code an administrator issued; the code is spent.</summary>
public sealed record EnrolmentCodeUsed : IIntegrationEvent
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string UserId { get; init; }

    /// <summary>The administrator who issued the code (sub).</summary>
    public required string IssuedBy { get; init; }

    public string? ClientIp { get; init; }
}

/// <summary>Someone signed in with an account's password offered an enrolment code that was refused.</summary>
public sealed record EnrolmentCodeRefused : IIntegrationEvent
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string UserId { get; init; }

    public required EnrolmentCodeRefusal Reason { get; init; }

    public string? ClientIp { get; init; }
}

/// <summary>
/// An administrator removed an account's authenticator (a lost or replaced phone): its codes no
/// longer sign in, and the account enrols again at its next sign-in.
/// </summary>
public sealed record AuthenticatorReset : IIntegrationEvent
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string UserId { get; init; }

    /// <summary>The administrator (sub).</summary>
    public required string ResetBy { get; init; }
}
