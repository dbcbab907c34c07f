using CareMessaging.Notification.Counters;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CareMessaging.Notification.Rebuild;

/// <summary>
/// Watches for Redis having lost the counters (the <see cref="UnreadKeys.Ready"/> marker is gone:
/// first start, a flush, a restart without persistence) and rebuilds them. One replica rebuilds at
/// a time; a failed rebuild (Redis or the Conversation service unreachable) is tried again at the
/// next check.
/// </summary>
public sealed partial class RebuildMonitor(
    IServiceScopeFactory scopes,
    IConnectionMultiplexer redis,
    IOptions<RebuildOptions> options,
    ServiceIdentity identity,
    TimeProvider clock,
    ILogger<RebuildMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval, clock);
        do
        {
            try
            {
                await RebuildIfLostAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogRebuildFailed(logger, exception.GetType().Name, exception.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RebuildIfLostAsync(CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        if (await db.KeyExistsAsync(UnreadKeys.Ready))
        {
            return;
        }

        if (!await db.LockTakeAsync(UnreadKeys.RebuildLock, identity.InstanceId, options.Value.LockTimeout))
        {
            return;
        }

        try
        {
            LogCountersLost(logger);
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<CounterRebuilder>().RebuildAsync(cancellationToken);
        }
        finally
        {
            await db.LockReleaseAsync(UnreadKeys.RebuildLock, identity.InstanceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis holds no unread counters; rebuilding them from the Conversation service")]
    private static partial void LogCountersLost(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rebuilding the unread counters failed ({Error}: {Reason}); trying again at the next check")]
    private static partial void LogRebuildFailed(ILogger logger, string error, string reason);
}
