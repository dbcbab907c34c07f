using CareMessaging.ServiceDefaults;

namespace CareMessaging.Stats.Rebuild;

/// <summary>
/// Fills the read model from the Conversation service once, when it has never been built: a new
/// Stats database joining a running system has missed everything before its queue existed. Tries
/// again every <see cref="RetryInterval"/> until the Conversation service answers; the service is
/// not ready until then (<see cref="ReadModelReadyCheck"/>), so the retry is short.
/// </summary>
public sealed class InitialRebuildJob(
    IServiceScopeFactory scopes,
    InitialRebuildState state,
    TimeProvider clock,
    ILogger<InitialRebuildJob> logger) : BackgroundLoop(clock, logger)
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);

    protected override string JobName => "first stats read-model rebuild";

    protected override async Task<NextRound> RunRoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var rebuilder = scope.ServiceProvider.GetRequiredService<StatsRebuilder>();
        if (!await rebuilder.HasCompletedAsync(cancellationToken))
        {
            await rebuilder.RebuildAsync(cancellationToken);
        }

        state.MarkBuilt();
        return NextRound.Stop;
    }

    protected override TimeSpan DelayAfterFailure(int failures) => RetryInterval;
}
