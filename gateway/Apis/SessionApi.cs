using System.Security.Claims;
using CareMessaging.Contracts;
using CareMessaging.Gateway.Security;
using CareMessaging.Gateway.Sessions;
using CareMessaging.ServiceDefaults;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CareMessaging.Gateway.Apis;

/// <summary>
/// The signed-in user's session (<c>GET /api/session</c>, used by the web front end), their list
/// of sessions with revocation and sign-out everywhere (<c>/api/sessions</c>), and an
/// administrator's revocation of all sessions of a user (<c>/api/admin/users/{userId}/sessions</c>).
/// Served by the gateway itself from its session store.
/// </summary>
internal static class SessionApi
{
    public static void MapSessionApi(this WebApplication app)
    {
        app.MapGet("/api/session", GetSessionAsync).RequireAuthorization(BrowserAuthentication.SessionPolicy);

        var mine = app.MapGroup("/api/sessions").RequireAuthorization(BrowserAuthentication.SessionPolicy);
        mine.MapGet("/", ListMineAsync);
        mine.MapDelete("/{sessionId}", RevokeMineAsync);
        mine.MapDelete("/", SignOutEverywhereAsync);

        var admin = app.MapGroup("/api/admin/users/{userId}/sessions")
            .RequireAuthorization(BrowserAuthentication.SessionPolicy, Policies.Admin, BrowserAuthentication.RecentSignInPolicy);
        admin.MapGet("/", ListForAdminAsync);
        admin.MapDelete("/", RevokeAllForAdminAsync);
    }

    public static async Task<Results<Ok<CurrentSession>, UnauthorizedHttpResult>> GetSessionAsync(HttpContext context, RedisSessionStore store)
    {
        var user = context.User;
        if (RedisSessionStore.SessionIdOf(user) is not { } sessionId || await store.GetAsync(sessionId) is not { } session)
        {
            return TypedResults.Unauthorized();
        }

        return TypedResults.Ok(new CurrentSession(
            user.FindFirstValue(CareMessagingClaims.Subject)!,
            user.FindFirstValue(CareMessagingClaims.Name),
            user.FindFirstValue(CareMessagingClaims.Role),
            [.. user.FindAll(CareMessagingClaims.CareTeam).Select(c => c.Value).Distinct()],
            user.FindFirstValue(CareMessagingClaims.PatientId),
            sessionId,
            session.StartedAt,
            session.IdleExpiresAt,
            session.AbsoluteExpiresAt,
            Csrf.IssueToken(context)));
    }

    public static async Task<Ok<IReadOnlyList<SessionView>>> ListMineAsync(ClaimsPrincipal user, RedisSessionStore store) =>
        TypedResults.Ok(await ViewsAsync(store, user.FindFirstValue(CareMessagingClaims.Subject)!, RedisSessionStore.SessionIdOf(user)));

    /// <summary>Ends one of the caller's sessions; someone else's session is 404, as if it did not exist.</summary>
    public static async Task<Results<NoContent, NotFound>> RevokeMineAsync(
        string sessionId, HttpContext context, RedisSessionStore store, SessionAudit audit)
    {
        var userId = context.User.FindFirstValue(CareMessagingClaims.Subject)!;
        if (await store.GetAsync(sessionId) is not { } session || session.UserId != userId)
        {
            return TypedResults.NotFound();
        }

        await store.RemoveAsync(sessionId);
        if (sessionId == RedisSessionStore.SessionIdOf(context.User))
        {
            await audit.SignedOutAsync(userId, sessionId, everywhere: false);
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
        else
        {
            await audit.RevokedAsync(userId, sessionId, revokedBy: userId);
        }

        return TypedResults.NoContent();
    }

    /// <summary>Ends every session of the caller, this one included.</summary>
    public static async Task<NoContent> SignOutEverywhereAsync(HttpContext context, RedisSessionStore store, SessionAudit audit)
    {
        var userId = context.User.FindFirstValue(CareMessagingClaims.Subject)!;
        var current = RedisSessionStore.SessionIdOf(context.User);
        foreach (var session in await store.ListAsync(userId))
        {
            await store.RemoveAsync(session.SessionId);
            if (session.SessionId != current)
            {
                await audit.RevokedAsync(userId, session.SessionId, revokedBy: userId);
            }
        }

        if (current is not null)
        {
            await store.RemoveAsync(current);
            await audit.SignedOutAsync(userId, current, everywhere: true);
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<IReadOnlyList<SessionView>>> ListForAdminAsync(string userId, RedisSessionStore store) =>
        TypedResults.Ok(await ViewsAsync(store, userId, currentSessionId: null));

    /// <summary>For a lost device or a leaver: every session of the user ends at once.</summary>
    public static async Task<Ok<RevokedSessions>> RevokeAllForAdminAsync(
        string userId, ClaimsPrincipal admin, RedisSessionStore store, SessionAudit audit)
    {
        var adminId = admin.FindFirstValue(CareMessagingClaims.Subject)!;
        var sessions = await store.ListAsync(userId);
        foreach (var session in sessions)
        {
            await store.RemoveAsync(session.SessionId);
            await audit.RevokedAsync(userId, session.SessionId, revokedBy: adminId);
        }

        return TypedResults.Ok(new RevokedSessions(userId, sessions.Count));
    }

    private static async Task<IReadOnlyList<SessionView>> ViewsAsync(RedisSessionStore store, string userId, string? currentSessionId) =>
        [.. (await store.ListAsync(userId)).Select(s => new SessionView(
            s.SessionId, s.SessionId == currentSessionId, DeviceDescription.From(s.Device), s.IpAddress, s.StartedAt, s.LastSeenAt))];
}

/// <summary>The signed-in user and their session, with the anti-forgery token for state-changing requests.</summary>
public sealed record CurrentSession(
    string UserId,
    string? Name,
    string? Role,
    IReadOnlyList<string> CareTeams,
    string? PatientId,
    string SessionId,
    DateTimeOffset StartedAt,
    DateTimeOffset IdleExpiresAt,
    DateTimeOffset AbsoluteExpiresAt,
    string CsrfToken);

/// <summary>One session in a user's session list.</summary>
public sealed record SessionView(string SessionId, bool Current, string Device, string? IpAddress, DateTimeOffset StartedAt, DateTimeOffset LastSeenAt);

/// <summary>How many sessions an administrator ended.</summary>
public sealed record RevokedSessions(string UserId, int Revoked);
