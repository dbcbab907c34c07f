using System.Collections.Concurrent;
using CareMessaging.ServiceDefaults;
using StackExchange.Redis;

namespace CareMessaging.Gateway.Sessions;

/// <summary>
/// The live hub connections this replica proxies, by the session that opened them. When a session
/// ends anywhere (sign-out, revocation from another device or by an administrator, on any replica)
/// its end is published on the session store's channel and every replica drops that session's
/// connections at once; <see cref="HubConnectionSweep"/> drops those whose session timed out. The
/// client reconnects through the gateway, which then refuses it. The Notification service also
/// closes a connection when its token expires (CloseOnAuthenticationExpiration).
/// </summary>
public sealed partial class HubConnections(IConnectionMultiplexer redis, ILogger<HubConnections> logger)
{
    private static readonly RedisChannel EndedChannel = RedisChannel.Literal("cm:gateway:session-ended");

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<HttpContext, byte>> _bySession = new(StringComparer.Ordinal);

    /// <summary>The sessions that have a live connection here.</summary>
    public IReadOnlyCollection<string> Sessions => [.. _bySession.Keys];

    /// <summary>Runs in the proxy pipeline: a hub request of a session is tracked for as long as it lasts.</summary>
    public static async Task TrackAsync(HttpContext context, Func<Task> next)
    {
        if (!context.Request.Path.StartsWithSegments(SessionActivity.HubPath) || RedisSessionStore.SessionIdOf(context.User) is not { } sessionId)
        {
            await next();
            return;
        }

        var connections = context.RequestServices.GetRequiredService<HubConnections>();
        var tracked = connections._bySession.GetOrAdd(sessionId, _ => new());
        tracked[context] = 0;
        try
        {
            await next();
        }
        finally
        {
            tracked.TryRemove(context, out _);
            if (tracked.IsEmpty)
            {
                connections._bySession.TryRemove(KeyValuePair.Create(sessionId, tracked));
            }
        }
    }

    /// <summary>Listens for sessions ended on any replica.</summary>
    public Task SubscribeAsync() =>
        redis.GetSubscriber().SubscribeAsync(EndedChannel, (_, sessionId) => Close(sessionId.ToString()));

    /// <summary>Tells every replica, this one included, that <paramref name="sessionId"/> has ended.</summary>
    public async Task PublishEndedAsync(string sessionId)
    {
        Close(sessionId);
        try
        {
            await redis.GetSubscriber().PublishAsync(EndedChannel, sessionId);
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
        {
            // Other replicas' sweeps find the session gone within their next round.
            LogPublishFailed(logger, exception.GetType().Name);
        }
    }

    /// <summary>Drops this replica's connections of <paramref name="sessionId"/>.</summary>
    public void Close(string sessionId)
    {
        if (_bySession.TryRemove(sessionId, out var tracked))
        {
            foreach (var context in tracked.Keys)
            {
                context.Abort();
            }

            LogClosed(logger, tracked.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed {Count} hub connections of a session that ended")]
    private static partial void LogClosed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Announcing a session's end to the other replicas failed ({Exception})")]
    private static partial void LogPublishFailed(ILogger logger, string exception);
}

/// <summary>
/// Subscribes to ended sessions, then every <see cref="Interval"/> drops the hub connections whose
/// session has timed out or gone (an idle or absolute timeout ends a session without anyone asking).
/// </summary>
public sealed class HubConnectionSweep(HubConnections connections, RedisSessionStore store, TimeProvider clock, ILogger<HubConnectionSweep> logger)
    : BackgroundLoop(clock, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private bool _subscribed;

    protected override string JobName => "hub connection sweep";

    protected override async Task<NextRound> RunRoundAsync(CancellationToken cancellationToken)
    {
        if (!_subscribed)
        {
            await connections.SubscribeAsync();
            _subscribed = true;
        }

        foreach (var sessionId in connections.Sessions)
        {
            if (await store.GetAsync(sessionId) is null)
            {
                connections.Close(sessionId);
            }
        }

        return NextRound.After(Interval);
    }
}
