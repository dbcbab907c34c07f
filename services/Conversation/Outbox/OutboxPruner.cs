using CareMessaging.Conversation.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CareMessaging.Conversation.Outbox;

/// <summary>
/// Deletes outbox rows that were sent more than <see cref="OutboxOptions.RetainSentFor"/> ago, so the
/// table holds the backlog and a recent record of what was published, not every event ever.
/// Runs at start and then every <see cref="OutboxOptions.PruneInterval"/>, deleting at most
/// <see cref="OutboxOptions.PruneBatchSize"/> rows per statement until a batch comes back short.
/// Unsent rows are never candidates, whatever their age. With several replicas one prunes at a
/// time (an advisory lock); the dispatcher locks only rows it is sending, never ones past retention,
/// so the two never wait on each other.
/// </summary>
public sealed partial class OutboxPruner(
    IServiceScopeFactory scopes,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxPruner> logger) : BackgroundService
{
    /// <summary>The advisory lock that lets one replica at a time prune (the demo seeder uses 7242031).</summary>
    private const long PruneLockKey = 7242032;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var deleted = await PruneAsync(settings, stoppingToken);
                if (deleted > 0)
                {
                    LogPruned(logger, deleted);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The database may be restarting; the next round tries again, nothing is lost meanwhile.
                LogPruneFailed(logger, settings.PruneInterval.TotalSeconds, exception.GetType().Name, exception.Message);
            }

            try
            {
                await Task.Delay(settings.PruneInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Deletes every row sent before now minus the retention, batch by batch; returns how many.
    /// One replica prunes at a time: the others find the advisory lock taken and wait for their
    /// next round. The lock is the connection's, so a replica that dies releases it with its session.
    /// </summary>
    internal async Task<int> PruneAsync(OutboxOptions settings, CancellationToken cancellationToken)
    {
        var sentBefore = clock.GetUtcNow() - settings.RetainSentFor;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConversationDbContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            if (!await TryLockAsync(connection, cancellationToken))
            {
                return 0;
            }

            try
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
                        """, cancellationToken);
                    total += deleted;
                    if (deleted < settings.PruneBatchSize)
                    {
                        return total;
                    }
                }
            }
            finally
            {
                await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({PruneLockKey})", connection);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({PruneLockKey})", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} outbox rows past their retention")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning sent outbox rows failed; trying again in {IntervalSeconds} s: {ExceptionType}: {Reason}")]
    private static partial void LogPruneFailed(ILogger logger, double intervalSeconds, string exceptionType, string reason);
}
