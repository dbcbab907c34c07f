using CareMessaging.Notification.Counters;
using CareMessaging.Notification.Telemetry;
using CareMessaging.ServiceDefaults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CareMessaging.Notification.Rebuild;

/// <summary>
/// Watches for Redis having lost the counters (the <see cref="UnreadKeys.Ready"/> marker is gone:
/// first start, a flush, a restart without persistence) and rebuilds them. One replica rebuilds at
/// a time. While the counters are missing the service is not ready and answers no counts
/// (<see cref="CountersReadyCheck"/>), so a failed rebuild (Redis, the Conversation service or the
/// identity provider not answering yet) is tried again after the short
/// <see cref="RebuildOptions.RetryInterval"/>, not the next regular check.
/// </summary>
public sealed partial class RebuildMonitor(
    IServiceScopeFactory scopes,
    IConnectionMultiplexer redis,
    IOptions<RebuildOptions> options,
    ServiceIdentity identity,
    NotificationTelemetry telemetry,
    TimeProvider clock,
    ILogger<RebuildMonitor> logger) : BackgroundLoop(clock, logger)
{
    protected override string JobName => "unread counter rebuild";

    protected override async Task<NextRound> RunRoundAsync(CancellationToken cancellationToken)
    {
        bool built;
        try
        {
            built = await EnsureBuiltAsync(cancellationToken);
        }
        catch
        {
            // Redis or the Conversation service did not answer: no counts can be served meanwhile.
            telemetry.CountersFound(ready: false);
            throw;
        }

        telemetry.CountersFound(built);
        return NextRound.After(built ? options.Value.CheckInterval : options.Value.RetryInterval);
    }

    // Not the growing pause of other jobs: readiness waits on this, and a rebuild takes seconds.
    protected override TimeSpan DelayAfterFailure(int failures) => options.Value.RetryInterval;

    /// <summary>True when the counters are complete: they were, or this replica just rebuilt them.</summary>
    private async Task<bool> EnsureBuiltAsync(CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        if (await db.KeyExistsAsync(UnreadKeys.Ready))
        {
            return true;
        }

        // Another replica is rebuilding: look again soon.
        if (!await db.LockTakeAsync(UnreadKeys.RebuildLock, identity.InstanceId, options.Value.LockTimeout))
        {
            return false;
        }

        try
        {
            LogCountersLost(logger);
            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<CounterRebuilder>().RebuildAsync(cancellationToken);
            return result.Complete;
        }
        finally
        {
            await db.LockReleaseAsync(UnreadKeys.RebuildLock, identity.InstanceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis holds no unread counters; rebuilding them from the Conversation service")]
    private static partial void LogCountersLost(ILogger logger);
}
