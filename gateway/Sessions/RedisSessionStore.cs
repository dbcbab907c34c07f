using System.Globalization;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CareMessaging.Gateway.Sessions;

/// <summary>
/// Keeps every browser session's authentication ticket (claims and tokens) in Redis, encrypted
/// with the gateway's data-protection keys; the cookie holds only the session id. Any replica
/// can serve any session, and deleting the entry ends the session on the next request.
/// Idle and absolute timeouts are checked here on every request; only the user's own requests
/// slide the idle timeout (<see cref="SessionActivity"/>).
/// </summary>
public sealed class RedisSessionStore(
    IConnectionMultiplexer redis,
    IDataProtectionProvider dataProtection,
    IOptions<SessionSettings> settings,
    HubConnections hubs,
    TimeProvider clock) : ITicketStore
{
    private const string Prefix = "cm:gateway:";
    private readonly IDataProtector _protector = dataProtection.CreateProtector("CareMessaging.Gateway.Sessions");

    private IDatabase Db => redis.GetDatabase();

    private SessionSettings Settings => settings.Value;

    private static RedisKey SessionKey(string id) => Prefix + "session:" + id;

    private static RedisKey UserKey(string userId) => Prefix + "user-sessions:" + userId;

    private static RedisKey EndedKey(string id) => Prefix + "ended:" + id;

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, httpContext: null!, CancellationToken.None);

    public Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken) =>
        StoreAsync(ticket, httpContext: null!, cancellationToken);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var userId = ticket.Principal.FindFirst(CareMessagingClaims.Subject)?.Value
            ?? throw new InvalidOperationException("A session needs the user's subject (sub) claim.");

        // The identity provider's session id names the session, so the access tokens' sid, the
        // sign-in audit event and the session list agree; a new id is used if it was ever taken.
        var id = ticket.Principal.FindFirst(CareMessagingClaims.SessionId)?.Value;
        if (id is null || !IsSafeId(id) || await Db.KeyExistsAsync(SessionKey(id)) || await Db.KeyExistsAsync(EndedKey(id)))
        {
            id = Guid.NewGuid().ToString("N");
        }

        var now = clock.GetUtcNow();
        if (ticket.Principal.Identity is System.Security.Claims.ClaimsIdentity identity)
        {
            identity.AddClaim(new System.Security.Claims.Claim(SessionIdClaim, id));
            identity.AddClaim(new System.Security.Claims.Claim(
                SignedInAtClaim, now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        }

        HashEntry[] entries =
        [
            new("ticket", Protect(ticket)),
            new("user", userId),
            new("started", now.ToUnixTimeMilliseconds()),
            new("seen", now.ToUnixTimeMilliseconds()),
            new("device", Truncate(httpContext?.Request.Headers.UserAgent.ToString(), 300) ?? string.Empty),
            new("ip", httpContext?.Connection.RemoteIpAddress?.ToString() ?? string.Empty),
        ];
        var batch = Db.CreateBatch();
        var writes = new[]
        {
            batch.HashSetAsync(SessionKey(id), entries),
            batch.KeyExpireAsync(SessionKey(id), Settings.AbsoluteTimeout),
            batch.SetAddAsync(UserKey(userId), id),
            batch.KeyExpireAsync(UserKey(userId), Settings.AbsoluteTimeout),
        };
        batch.Execute();
        await Task.WhenAll(writes);
        return id;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken) =>
        RenewAsync(key, ticket, httpContext: null!, cancellationToken);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        // Only a live session is renewed; a revoked one stays revoked.
        if (await Db.KeyExistsAsync(SessionKey(key)))
        {
            await Db.HashSetAsync(SessionKey(key), "ticket", Protect(ticket));
        }
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, httpContext: null!, CancellationToken.None);

    public Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken) =>
        RetrieveAsync(key, httpContext: null!, cancellationToken);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var entries = (await Db.HashGetAllAsync(SessionKey(key))).ToDictionary(e => e.Name.ToString(), e => e.Value);
        if (!entries.TryGetValue("ticket", out var protectedTicket) || Read(entries) is not { } session)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (now >= session.IdleExpiresAt || now >= session.AbsoluteExpiresAt)
        {
            await RemoveAsync(key, httpContext, cancellationToken);
            await EndedAsync(httpContext, session.UserId, key,
                now >= session.AbsoluteExpiresAt ? SessionEndReason.AbsoluteTimeout : SessionEndReason.IdleTimeout);
            return null;
        }

        if (SessionActivity.IsUserActivity(httpContext))
        {
            await Db.HashSetAsync(SessionKey(key), "seen", now.ToUnixTimeMilliseconds());
        }

        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(Convert.FromBase64String(protectedTicket!)));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Written with keys this gateway no longer has: the session cannot be used.
            await RemoveAsync(key, httpContext, cancellationToken);
            return null;
        }
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, httpContext: null!, CancellationToken.None);

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => RemoveAsync(key, httpContext: null!, cancellationToken);

    public async Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var userId = await Db.HashGetAsync(SessionKey(key), "user");
        await Db.KeyDeleteAsync(SessionKey(key));
        // A tombstone keeps the id from ever naming a new session, so an old cookie stays dead.
        await Db.StringSetAsync(EndedKey(key), "1", Settings.AbsoluteTimeout);
        if (userId.HasValue)
        {
            await Db.SetRemoveAsync(UserKey(userId.ToString()), key);
        }

        await hubs.PublishEndedAsync(key);
    }

    /// <summary>Records, for the audit trail, a session the gateway ended without being asked to.</summary>
    public static async Task EndedAsync(HttpContext? httpContext, string userId, string sessionId, SessionEndReason reason)
    {
        if (httpContext?.RequestServices.GetService<SessionAudit>() is { } audit)
        {
            await audit.EndedAsync(userId, sessionId, reason);
        }
    }

    /// <summary>The session's times and device, or null when it has ended.</summary>
    public async Task<SessionInfo?> GetAsync(string sessionId)
    {
        var entries = (await Db.HashGetAllAsync(SessionKey(sessionId))).ToDictionary(e => e.Name.ToString(), e => e.Value);
        var session = Read(entries, sessionId);
        return session is not null && clock.GetUtcNow() < session.IdleExpiresAt && clock.GetUtcNow() < session.AbsoluteExpiresAt
            ? session
            : null;
    }

    /// <summary>Every live session of a user, newest first; ended ones are tidied away.</summary>
    public async Task<IReadOnlyList<SessionInfo>> ListAsync(string userId)
    {
        var ids = await Db.SetMembersAsync(UserKey(userId));
        var sessions = new List<SessionInfo>();
        foreach (var id in ids.Select(v => v.ToString()))
        {
            if (await GetAsync(id) is { } session)
            {
                sessions.Add(session);
            }
            else
            {
                await RemoveAsync(id);
            }
        }

        return [.. sessions.OrderByDescending(s => s.StartedAt)];
    }

    private SessionInfo? Read(Dictionary<string, RedisValue> entries, string? sessionId = null)
    {
        if (!entries.TryGetValue("user", out var user) || !entries.TryGetValue("started", out var started) || !entries.TryGetValue("seen", out var seen))
        {
            return null;
        }

        var startedAt = DateTimeOffset.FromUnixTimeMilliseconds((long)started);
        var seenAt = DateTimeOffset.FromUnixTimeMilliseconds((long)seen);
        return new SessionInfo(
            sessionId ?? string.Empty,
            user.ToString(),
            startedAt,
            seenAt,
            seenAt + Settings.IdleTimeout,
            startedAt + Settings.AbsoluteTimeout,
            entries.TryGetValue("device", out var device) && device.HasValue && device.ToString().Length > 0 ? device.ToString() : null,
            entries.TryGetValue("ip", out var ip) && ip.HasValue && ip.ToString().Length > 0 ? ip.ToString() : null);
    }

    private string Protect(AuthenticationTicket ticket) =>
        Convert.ToBase64String(_protector.Protect(TicketSerializer.Default.Serialize(ticket)));

    private static bool IsSafeId(string id) => id.Length is > 8 and <= 64 && id.All(char.IsAsciiLetterOrDigit);

    private static string? Truncate(string? value, int length) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];

    /// <summary>The claim, added to the stored principal, that names the gateway session it belongs to.</summary>
    public const string SessionIdClaim = "gateway_session";

    public static string? SessionIdOf(System.Security.Claims.ClaimsPrincipal user) => user.FindFirst(SessionIdClaim)?.Value;

    /// <summary>The claim, added to the stored principal, that says when the user signed in for this session.</summary>
    public const string SignedInAtClaim = "gateway_signed_in_at";

    /// <summary>When the user signed in for the session; null for a principal that is no session's.</summary>
    public static DateTimeOffset? SignedInAt(System.Security.Claims.ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst(SignedInAtClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : null;

    internal static string FormatTime(DateTimeOffset time) => time.ToString("o", CultureInfo.InvariantCulture);
}
