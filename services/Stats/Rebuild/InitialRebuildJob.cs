namespace CareMessaging.Stats.Rebuild;

/// <summary>
/// Fills the read model from the Conversation service once, when it has never been built: a new
/// Stats database joining a running system has missed everything before its queue existed. Tries
/// again every <see cref="RetryInterval"/> until the Conversation service answers; the service is
/// not ready until then (<see cref="ReadModelReadyCheck"/>), so the retry is short.
/// </summary>
public sealed partial class InitialRebuildJob(
    IServiceScopeFactory scopes,
    InitialRebuildState state,
    TimeProvider clock,
    ILogger<InitialRebuildJob> logger) : BackgroundService
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var rebuilder = scope.ServiceProvider.GetRequiredService<StatsRebuilder>();
                if (!await rebuilder.HasCompletedAsync(stoppingToken))
                {
                    await rebuilder.RebuildAsync(stoppingToken);
                }

                state.MarkBuilt();
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogRetrying(logger, exception.GetType().Name, exception.Message);
                await Task.Delay(RetryInterval, clock, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The first rebuild of the stats read model failed ({Error}: {Reason}); trying again")]
    private static partial void LogRetrying(ILogger logger, string error, string reason);
}
