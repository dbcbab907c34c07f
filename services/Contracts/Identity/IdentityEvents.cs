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

/// <summary>Too many failed attempts: the account is locked until <see cref="LockedUntil"/>.</summary>
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
