using System.Diagnostics;
using System.Text.Json;
using CareMessaging.Audit.Data;
using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CareMessaging.Audit.Retention;

/// <summary>
/// Removes the records past retention, as one transaction holding the chain lock: only the
/// oldest stretch of the chain in which every record is past retention goes, the run is recorded
/// as an <see cref="AuditActions.Purged"/> record whose details carry the hash the first remaining
/// record continues from (the anchor), and the append-only trigger lets the deletion through only
/// because this transaction names the cutoff (docs/decisions/0031-audit-retention-purge.md). It
/// runs as the trail's owner: the writer the service otherwise uses may not delete (ADR 0028).
/// </summary>
public sealed partial class RetentionPurge(
    [FromKeyedServices(RetentionPurge.OwnerKey)] AuditDbContext db,
    IOptions<RetentionOptions> options,
    ServiceIdentity service,
    ILogger<RetentionPurge> logger)
{
    /// <summary>The key of the owner's context in the container.</summary>
    public const string OwnerKey = "owner";

    private readonly AuditTrail _trail = new(db);

    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web);

    public async Task<PurgeAnchor> RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now.AddYears(-options.Value.Years).ToUniversalTime();
        // The connection retries transient faults by running the whole transaction again.
        var anchor = await db.Database.CreateExecutionStrategy().ExecuteAsync(() => PurgeAsync(now, cutoff, cancellationToken));
        LogPurged(logger, anchor.PurgedCount, cutoff);
        return anchor;
    }

    private async Task<PurgeAnchor> PurgeAsync(DateTimeOffset now, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The lock the chain trigger takes for every append: holding it keeps appends out while records go.
        await db.LockForTransactionAsync(AdvisoryLocks.AuditChain, cancellationToken);

        // The oldest stretch of the chain whose records are all past retention, never the newest record.
        var lastPurged = await db.Database.SqlQuery<long?>(
            $"""
            SELECT max(id) AS "Value" FROM audit_records
            WHERE id < coalesce((SELECT min(id) FROM audit_records WHERE recorded_at >= {cutoff}), 9223372036854775807)
              AND id < (SELECT max(id) FROM audit_records)
            """).SingleAsync(cancellationToken);

        var anchor = new PurgeAnchor(cutoff, 0, null, null);
        if (lastPurged is { } throughId)
        {
            var count = await db.Records.LongCountAsync(r => r.Id <= throughId, cancellationToken);
            var hash = await db.Records.Where(r => r.Id == throughId).Select(r => r.Hash).SingleAsync(cancellationToken);
            anchor = new PurgeAnchor(cutoff, count, throughId, hash);
        }

        // Recorded first, so the chain never runs empty and the anchor is in place when the records go.
        await _trail.AppendAsync(new AuditEntry
        {
            EventId = Guid.CreateVersion7(),
            OccurredAt = now,
            Action = AuditActions.Purged,
            ActorId = $"service:{ResourceNames.Audit}/{service.InstanceId}",
            ActorRole = AuditEntry.SystemRole,
            SourceService = ResourceNames.Audit,
            CorrelationId = Activity.Current?.TraceId.ToHexString(),
            Details = anchor,
        }, cancellationToken);

        if (anchor.PurgedThroughId is { } through)
        {
            var cutoffText = cutoff.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            await db.Database.ExecuteSqlAsync($"SELECT set_config('caremessaging.audit_purge_before', {cutoffText}, true)", cancellationToken);
            await db.Database.ExecuteSqlAsync($"DELETE FROM audit_records WHERE id <= {through}", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return anchor;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit retention purge removed {Count} records recorded before {Cutoff}")]
    private static partial void LogPurged(ILogger logger, long count, DateTimeOffset cutoff);
}
