using CareMessaging.Conversation.Data;
using CareMessaging.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CareMessaging.Conversation.Outbox;

/// <summary>
/// Deletes outbox rows that were sent more than <see cref="OutboxOptions.RetainSentFor"/> ago, so the
/// table holds the backlog and a recent record of what was published, not every event ever.
/// Runs at start and then every <see cref="OutboxOptions.PruneInterval"/> (also after a failed
/// round: the database may be restarting, and nothing is lost meanwhile), deleting at most
/// <see cref="OutboxOptions.PruneBatchSize"/> rows per statement until a batch comes back short.
/// Unsent rows are never candidates, whatever their age. With several replicas one prunes at a
/// time (<see cref="AdvisoryLocks.OutboxPrune"/>); the dispatcher locks only rows it is sending,
/// never ones past retention, so the two never wait on each other.
/// </summary>
public sealed partial class OutboxPruner(
    IServiceScopeFactory scopes,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxPruner> logger) : BackgroundLoop(clock, logger)
{
    protected override string JobName => "outbox pruning";

    protected override async Task<NextRound> RunRoundAsync(CancellationToken cancellationToken)
    {
        var deleted = await PruneAsync(options.Value, cancellationToken);
        if (deleted > 0)
        {
            LogPruned(logger, deleted);
        }

        return NextRound.After(options.Value.PruneInterval);
    }

    protected override TimeSpan DelayAfterFailure(int failures) => options.Value.PruneInterval;

    /// <summary>
    /// Deletes every row sent before now minus the retention, batch by batch; returns how many.
    /// A replica that finds another one pruning deletes nothing and waits for its next round.
    /// </summary>
    internal async Task<int> PruneAsync(OutboxOptions settings, CancellationToken cancellationToken)
    {
        var sentBefore = Clock.StoredUtcNow() - settings.RetainSentFor;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConversationDbContext>();
        var (_, total) = await db.TryRunExclusiveAsync(AdvisoryLocks.OutboxPrune, async token =>
        {
            var total = 0;
            while (true)
            {
                // Each batch commits on its own, so no statement holds many row locks for long.
                var deleted = await db.Database.ExecuteSqlAsync($"""
                    DELETE FROM outbox_messages
                    WHERE id IN (
                        SELECT id FROM outbox_messages
                        WHERE sent_at IS NOT NULL AND sent_at < {sentBefore}
                        ORDER BY sent_at
                        LIMIT {settings.PruneBatchSize})
                    """, token);
                total += deleted;
                if (deleted < settings.PruneBatchSize)
                {
                    return total;
                }
            }
        }, cancellationToken);
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} outbox rows past their retention")]
    private static partial void LogPruned(ILogger logger, int count);
}
