using CareMessaging.Clients;
using CareMessaging.Contracts.Stats;
using CareMessaging.Stats.Data;
using CareMessaging.Stats.ReadModel;
using CareMessaging.Stats.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Stats.Rebuild;

/// <summary>
/// Rebuilds the read model from the Conversation service's export by merging every conversation
/// with the same upserts the consumers use, so events that arrive meanwhile are kept.
/// </summary>
public sealed partial class StatsRebuilder(
    StatsDbContext db,
    StatsStore store,
    ReadModelExportClient readModel,
    StatsTelemetry telemetry,
    TimeProvider clock,
    ILogger<StatsRebuilder> logger)
{
    public async Task<StatsRebuildResult> RebuildAsync(CancellationToken cancellationToken)
    {
        using var timing = telemetry.ReadModel.StartRebuild();
        var rebuild = new StatsRebuild { StartedAt = clock.GetUtcNow() };
        db.Rebuilds.Add(rebuild);
        await db.SaveChangesAsync(cancellationToken);

        await foreach (var conversation in readModel.ReadAllAsync(cancellationToken))
        {
            await store.MergeAsync(conversation, rebuild.StartedAt, cancellationToken);
            rebuild.Conversations++;
        }

        rebuild.CompletedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        timing.Completed();
        LogRebuilt(logger, rebuild.Conversations);
        return new StatsRebuildResult(rebuild.Conversations, rebuild.StartedAt, rebuild.CompletedAt.Value);
    }

    /// <summary>True once a rebuild has completed: the read model then holds what happened before this service listened.</summary>
    public Task<bool> HasCompletedAsync(CancellationToken cancellationToken) =>
        db.Rebuilds.AnyAsync(r => r.CompletedAt != null, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stats read model rebuilt from {Conversations} conversations")]
    private static partial void LogRebuilt(ILogger logger, long conversations);
}

