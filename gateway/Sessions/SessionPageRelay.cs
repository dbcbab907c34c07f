using System.Security.Claims;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Identity;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace CareMessaging.Gateway.Sessions;

/// <summary>
/// The web app's "Signed-in sessions" page, served through the gateway, which owns the sessions
/// (docs/decisions/0048): on a request for that page the user's own sessions go to the web app in
/// a header; the page's form post, once the web app has checked its anti-forgery token and the
/// form, answers with a header naming what to end, and the gateway ends it here. Neither header is
/// ever taken from a browser or passed on to one.
/// </summary>
internal static class SessionPageRelay
{
    /// <summary>More would not fit in a request header; the newest are shown.</summary>
    public const int MaxListed = 50;

    private const string WebCluster = ResourceNames.Web;

    public static IReverseProxyBuilder AddSessionPage(this IReverseProxyBuilder proxy) =>
        proxy.AddTransforms(context =>
        {
            context.AddRequestTransform(async transform =>
            {
                transform.ProxyRequest.Headers.Remove(SessionPage.SessionsHeader);
                var http = transform.HttpContext;
                if (IsSessionPage(http) && UserOf(http) is { } user)
                {
                    var sessions = await http.RequestServices.GetRequiredService<RedisSessionStore>().ListAsync(user.UserId);
                    transform.ProxyRequest.Headers.TryAddWithoutValidation(SessionPage.SessionsHeader, SessionPage.Write(
                        [.. sessions.Take(MaxListed).Select(s => new SignedInSession(
                            SessionPage.HandleOf(s.SessionId), s.SessionId == user.SessionId, DeviceDescription.From(s.Device), s.IpAddress, s.StartedAt, s.LastSeenAt))]));
                }
            });
            context.AddResponseTransform(async transform =>
            {
                var http = transform.HttpContext;
                var asked = http.Response.Headers[SessionPage.EndHeader].ToString();
                http.Response.Headers.Remove(SessionPage.EndHeader);
                if (asked.Length > 0 && HttpMethods.IsPost(http.Request.Method) && IsSessionPage(http) && UserOf(http) is { } user
                    && transform.ProxyResponse is { StatusCode: < System.Net.HttpStatusCode.BadRequest })
                {
                    await EndAsync(http, user, asked);
                }
            });
        });

    /// <summary>Ends the named session, or every other one, of this user only; the session the request came from stays.</summary>
    private static async Task EndAsync(HttpContext http, (string UserId, string SessionId) user, string asked)
    {
        var store = http.RequestServices.GetRequiredService<RedisSessionStore>();
        var audit = http.RequestServices.GetRequiredService<SessionAudit>();
        foreach (var session in await store.ListAsync(user.UserId))
        {
            if (session.SessionId != user.SessionId && (asked == SessionPage.AllOthers || asked == SessionPage.HandleOf(session.SessionId)))
            {
                await store.RemoveAsync(session.SessionId);
                await audit.RevokedAsync(user.UserId, session.SessionId, revokedBy: user.UserId);
            }
        }
    }

    private static bool IsSessionPage(HttpContext http) =>
        http.Request.Path.Equals(SessionPage.Path, StringComparison.OrdinalIgnoreCase)
        && http.GetReverseProxyFeature().Route.Config.ClusterId == WebCluster;

    private static (string UserId, string SessionId)? UserOf(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true
        && http.User.FindFirstValue(CareMessagingClaims.Subject) is { } userId
        && RedisSessionStore.SessionIdOf(http.User) is { } sessionId
            ? (userId, sessionId)
            : null;
}
