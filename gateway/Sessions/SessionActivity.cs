namespace CareMessaging.Gateway.Sessions;

/// <summary>
/// Which requests count as the user's activity and slide the idle timeout. A page that is left
/// open keeps working on its own: the live connection, and the refreshes a push sets off (the
/// list, the badge, the figures, a newly arrived message). Those are marked as background
/// requests and leave the session's last activity where it was, so an unattended workstation
/// is still signed out when the idle timeout passes.
/// </summary>
public static class SessionActivity
{
    /// <summary>Sent (with any value) by the page's scripts on requests the user did not ask for.</summary>
    public const string BackgroundHeader = "X-CareMessaging-Background";

    /// <summary>The notification hub: negotiation, the WebSocket and its fallbacks.</summary>
    public const string HubPath = "/hubs";

    public static bool IsUserActivity(HttpContext? context) =>
        context is null
        || !(context.Request.Headers.ContainsKey(BackgroundHeader) || context.Request.Path.StartsWithSegments(HubPath));
}
