namespace CareMessaging.Identity.Enrolment;

/// <summary>
/// Section <c>Identity:Enrolment</c>: whether enrolling an authenticator needs a one-time code an
/// administrator issued (docs/decisions/0029), and how long such a code lasts.
/// </summary>
public sealed class EnrolmentSettings
{
    /// <summary>Default: on outside Development, where the password alone must not be enough to claim an account's second factor.</summary>
    public bool? RequireCode { get; set; }

    /// <summary>From issue to the last moment the code enrols; long enough to reach someone on a night shift, short enough to be worth little when leaked.</summary>
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromHours(72);

    public bool CodeRequired(bool isDevelopment) => RequireCode ?? !isDevelopment;
}
