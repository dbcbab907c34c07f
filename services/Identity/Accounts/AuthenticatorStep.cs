namespace CareMessaging.Identity.Accounts;

/// <summary>
/// The newest authenticator time step (RFC 6238: Unix time divided by 30 s) that an account has
/// used to sign in or to confirm its enrolment. A code from this step or an older one is refused,
/// so a code seen over someone's shoulder or in a proxy log cannot be used a second time.
/// </summary>
public sealed class AuthenticatorStep
{
    public required string UserId { get; init; }

    public required long LastStep { get; set; }
}
