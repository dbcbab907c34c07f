namespace CareMessaging.Gateway.Sessions;

/// <summary>
/// Browser sessions (section <c>Session</c>): an idle timeout that slides with every request the user makes
/// (not with the page's background refreshes, see <see cref="SessionActivity"/>) and
/// an absolute lifetime from sign-in, both measured with the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class SessionSettings
{
    public const string SectionName = "Session";

    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(12);

    /// <summary>The access token is refreshed when it expires within this margin.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Administrative routes need a sign-in at most this old (a fresh sign-in at <c>/signin?fresh=true</c>).</summary>
    public TimeSpan AdminSignInMaxAge { get; set; } = TimeSpan.FromMinutes(15);

    public string CookieName { get; set; } = "cm.session";
}

/// <summary>One signed-in browser session as the session list shows it.</summary>
public sealed record SessionInfo(
    string SessionId,
    string UserId,
    DateTimeOffset StartedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset IdleExpiresAt,
    DateTimeOffset AbsoluteExpiresAt,
    string? Device,
    string? IpAddress);
