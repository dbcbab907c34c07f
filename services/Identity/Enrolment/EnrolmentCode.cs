namespace CareMessaging.Identity.Enrolment;

/// <summary>
/// The one enrolment code an account has at a time: issuing another replaces it. Only a hash of
/// the code is kept (the code itself is shown once, to the administrator who issued it); a used
/// code stays, marked, so that trying it again says it was used rather than that it is wrong.
/// </summary>
public sealed class EnrolmentCode
{
    public required string UserId { get; init; }

    /// <summary>SHA-256 (hex) of the account id and the normalised code; see <see cref="EnrolmentCodes"/>.</summary>
    public required string CodeHash { get; set; }

    /// <summary>The administrator who issued it (sub).</summary>
    public required string IssuedBy { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}
