using System.Diagnostics;
using System.Text.Json;
using CareMessaging.Audit.Data;
using CareMessaging.Audit.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Audit.Trail;

/// <summary>
/// Appends to the hash-chained trail and checks it. The chain itself is kept by the database:
/// a trigger takes the chain lock, numbers the record, stamps it and hashes it onto the previous
/// record, so appends from concurrent consumers and several replicas stay in one order
/// (docs/decisions/0030-audit-hash-chain.md). Appends and verifications are counted and timed
/// by <see cref="AuditTelemetry"/> when the service provides it.
/// </summary>
public sealed class AuditTrail(AuditDbContext db, AuditTelemetry? telemetry = null)
{
    /// <summary>The previous hash of the first record ever appended.</summary>
    public static readonly string GenesisHash = new('0', 64);

    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web);

    /// <summary>Appends <paramref name="entry"/> unless its event is already in the trail; true when it was appended.</summary>
    public async Task<bool> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var details = entry.Details is null ? null : JsonSerializer.Serialize(entry.Details, DetailsJson);
        var rows = await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO audit_records (event_id, occurred_at, action, actor_id, actor_role, source_service,
                                       patient_id, conversation_id, correlation_id, client_ip, details)
            VALUES ({entry.EventId}, {entry.OccurredAt.ToUniversalTime()}, {entry.Action}, {Truncate(entry.ActorId, 128)},
                    {Truncate(entry.ActorRole, 32)}, {Truncate(entry.SourceService, 32)}, {Truncate(entry.PatientId, 64)},
                    {entry.ConversationId}, {Truncate(entry.CorrelationId, 64)}, {Truncate(entry.ClientIp, 64)}, {details})
            ON CONFLICT (event_id) DO NOTHING
            """,
            cancellationToken);
        telemetry?.Appended(entry.Action, rows == 1);
        return rows == 1;
    }

    /// <summary>
    /// Appends many entries in one statement, in the order given, skipping events already in the
    /// trail; returns how many were appended. The chain trigger runs for each row in turn and sees
    /// the rows before it, so the chain is the same as for appends one at a time.
    /// </summary>
    public async Task<int> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        var rows = entries.DistinctBy(entry => entry.EventId).ToList();
        if (rows.Count == 0)
        {
            return 0;
        }

        // Read as it is: a LINQ operator on top would wrap the INSERT in a subquery, which PostgreSQL refuses.
        var appended = await db.Database.SqlQuery<Guid>(
            $"""
            INSERT INTO audit_records (event_id, occurred_at, action, actor_id, actor_role, source_service,
                                       patient_id, conversation_id, correlation_id, client_ip, details)
            SELECT event_id, occurred_at, action, actor_id, actor_role, source_service,
                   patient_id, conversation_id, correlation_id, client_ip, details
            FROM unnest({rows.Select(e => e.EventId).ToArray()}, {rows.Select(e => e.OccurredAt.ToUniversalTime()).ToArray()},
                        {rows.Select(e => e.Action).ToArray()}, {rows.Select(e => Truncate(e.ActorId, 128)).ToArray()},
                        {rows.Select(e => Truncate(e.ActorRole, 32)).ToArray()}, {rows.Select(e => Truncate(e.SourceService, 32)).ToArray()},
                        {rows.Select(e => Truncate(e.PatientId, 64)).ToArray()}, {rows.Select(e => e.ConversationId).ToArray()},
                        {rows.Select(e => Truncate(e.CorrelationId, 64)).ToArray()}, {rows.Select(e => Truncate(e.ClientIp, 64)).ToArray()},
                        {rows.Select(e => e.Details is null ? null : JsonSerializer.Serialize(e.Details, DetailsJson)).ToArray()})
                 WITH ORDINALITY AS r(event_id, occurred_at, action, actor_id, actor_role, source_service,
                                      patient_id, conversation_id, correlation_id, client_ip, details, position)
            ORDER BY position
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id AS "Value"
            """).ToListAsync(cancellationToken);
        var added = appended.ToHashSet();
        foreach (var row in rows)
        {
            telemetry?.Appended(row.Action, added.Contains(row.EventId));
        }

        return added.Count;
    }

    /// <summary>
    /// Walks the whole chain in the database: every record's hash must match its content and
    /// every record must continue from the one before; the first must continue from the genesis
    /// hash or from the anchor the latest purge left.
    /// </summary>
    public async Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await VerifyChainAsync(cancellationToken);
        telemetry?.Verified(started, result);
        return result;
    }

    private async Task<ChainVerification> VerifyChainAsync(CancellationToken cancellationToken)
    {
        var checkedCount = await db.Records.LongCountAsync(cancellationToken);
        var first = await db.Records.AsNoTracking().OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.PreviousHash }).FirstOrDefaultAsync(cancellationToken);
        if (first is null)
        {
            return ChainVerification.Intact(0);
        }

        var anchor = await LatestAnchorAsync(cancellationToken);
        var expectedStart = anchor?.ContinuesFromHash ?? GenesisHash;
        if (first.PreviousHash != expectedStart)
        {
            return ChainVerification.Broken(checkedCount, first.Id,
                anchor is null
                    ? "The first record does not start the chain: records before it are missing."
                    : "The first record does not continue from the hash the last purge recorded: records are missing.");
        }

        var broken = await db.Database.SqlQuery<BrokenLink>(
            $"""
            SELECT id, content_altered
            FROM (
                SELECT r.id,
                       r.hash IS DISTINCT FROM audit_record_hash(r) AS content_altered,
                       r.previous_hash IS DISTINCT FROM lag(r.hash) OVER (ORDER BY r.id) AS link_broken,
                       row_number() OVER (ORDER BY r.id) AS position
                FROM audit_records r
            ) chain
            WHERE content_altered OR (position > 1 AND link_broken)
            ORDER BY id
            LIMIT 1
            """).ToListAsync(cancellationToken);

        return broken is [var link]
            ? ChainVerification.Broken(checkedCount, link.Id, link.ContentAltered
                ? "The record's content does not match its hash: it was changed after it was written."
                : "The record does not continue from the record before it: a record was removed or altered.")
            : ChainVerification.Intact(checkedCount);
    }

    /// <summary>The anchor of the most recent purge that removed records, if any.</summary>
    public async Task<PurgeAnchor?> LatestAnchorAsync(CancellationToken cancellationToken)
    {
        var details = await db.Database.SqlQuery<string>(
            $"""
            SELECT details AS "Value" FROM audit_records
            WHERE action = {AuditActions.Purged} AND (details::jsonb ->> 'purgedCount')::bigint > 0
            ORDER BY id DESC
            LIMIT 1
            """).ToListAsync(cancellationToken);
        return details is [var json] ? JsonSerializer.Deserialize<PurgeAnchor>(json, DetailsJson) : null;
    }

    // A value longer than its column would fail the insert on every retry; the trail keeps its start instead.
    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    private sealed record BrokenLink(long Id, bool ContentAltered);
}

/// <summary>The result of GET /api/audit/verify.</summary>
public sealed record ChainVerification(bool Valid, long RecordsChecked, long? FirstBrokenRecordId, string? Problem)
{
    public static ChainVerification Intact(long count) => new(true, count, null, null);

    public static ChainVerification Broken(long count, long recordId, string problem) => new(false, count, recordId, problem);
}

/// <summary>
/// What a purge records about itself (the details of its <see cref="AuditActions.Purged"/> record):
/// the first remaining record continues from <see cref="ContinuesFromHash"/>.
/// </summary>
public sealed record PurgeAnchor(DateTimeOffset Cutoff, long PurgedCount, long? PurgedThroughId, string? ContinuesFromHash);
