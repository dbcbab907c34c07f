using System.Diagnostics;
using CareMessaging.Audit.Data;
using CareMessaging.Audit.Export;
using CareMessaging.Audit.Trail;
using CareMessaging.Audit.Viewers;
using CareMessaging.Contracts;
using CareMessaging.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Audit.Apis;

/// <summary>The audit trail for compliance officers: search, who viewed a patient's data, verification, export; each read is itself recorded.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/audit").RequireAuthorization(Policies.Compliance).WithTags("Audit");
        api.MapGet("/records", SearchRecords);
        api.MapGet("/patients/{patientId}/viewers", GetPatientViewers);
        api.MapGet("/verify", VerifyChain);
        api.MapGet("/export", ExportRecords);
        // The operator's check from the dashboard: the verdict only, no record's content.
        app.MapGet("/api/audit/internal/verify", VerifyChain).RequireAuthorization(Policies.Operations).WithTags("Audit");
        return api;
    }

    /// <summary>A page of the trail; the search itself is recorded, with its filters and how many records it showed.</summary>
    public static async Task<Results<Ok<AuditPage>, ValidationProblem>> SearchRecords(
        [AsParameters] AuditQuery query, [AsParameters] ComplianceReads reads, CancellationToken cancellationToken)
    {
        if (query.Validate(out var errors) is not { } valid)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var records = Filter(reads.Db, valid);
        if (valid.Cursor is { } cursor)
        {
            records = records.Where(r => r.Id < cursor.BeforeId);
        }

        // One row more than the page shows tells whether an older page exists.
        var rows = await records.OrderByDescending(r => r.Id).Take(valid.Limit + 1).ToListAsync(cancellationToken);
        var items = rows.Count > valid.Limit ? rows[..valid.Limit] : rows;
        var next = rows.Count > valid.Limit ? new AuditCursor(items[^1].Id).Encode() : null;
        await reads.RecordAsync(AuditActions.Searched, new
        {
            valid.PatientId, valid.UserId, valid.Action, valid.From, valid.To, NextPage = valid.Cursor is not null, Shown = items.Count,
        }, cancellationToken);
        return TypedResults.Ok(new AuditPage(items, next));
    }

    /// <summary>Everyone who saw the patient's data, by kind of access, most recent first; the question itself is recorded.</summary>
    public static async Task<Ok<PatientViewers>> GetPatientViewers(
        string patientId, [AsParameters] ComplianceReads reads, CancellationToken cancellationToken)
    {
        var viewers = await PatientReads.ViewersAsync(reads.Db, patientId, cancellationToken);
        await reads.RecordAsync(AuditActions.ViewersListed, new { PatientId = patientId, Shown = viewers.Count }, cancellationToken);
        return TypedResults.Ok(new PatientViewers(patientId, viewers));
    }

    public static async Task<Ok<ChainVerification>> VerifyChain(AuditTrail trail, CancellationToken cancellationToken) =>
        TypedResults.Ok(await trail.VerifyAsync(cancellationToken));

    /// <summary>Streams the records of a time range as CSV or NDJSON; the export itself is recorded in the trail.</summary>
    public static async Task<Results<PushStreamHttpResult, ValidationProblem>> ExportRecords(
        [AsParameters] AuditQuery query, string? format, [AsParameters] ComplianceReads reads, CancellationToken cancellationToken)
    {
        var valid = query.Validate(out var errors, requireRange: true);
        var exportFormat = AuditExportFormat.Parse(format);
        if (exportFormat is null)
        {
            errors["format"] = ["'format' must be 'csv' or 'ndjson'."];
        }

        if (valid is null || exportFormat is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await reads.RecordAsync(AuditActions.Exported,
            new { valid.From, valid.To, Format = exportFormat.Name, valid.PatientId, valid.UserId, valid.Action }, cancellationToken);

        var records = Filter(reads.Db, valid).OrderBy(r => r.Id).AsAsyncEnumerable();
        var aborted = reads.Http.RequestAborted;
        return TypedResults.Stream(
            body => exportFormat.WriteAsync(records, body, aborted),
            exportFormat.ContentType,
            $"audit-{valid.From:yyyyMMdd}-{valid.To:yyyyMMdd}.{exportFormat.Extension}");
    }

    // A patient's records include the pages that showed them among others (ADR 0018).
    private static IQueryable<AuditRecord> Filter(AuditDbContext db, AuditQuery.Valid query)
    {
        var records = query.PatientId is { } patientId
            ? PatientReads.Concerning(db, patientId).AsNoTracking()
            : db.Records.AsNoTracking();

        if (query.UserId is { } userId)
        {
            records = records.Where(r => r.ActorId == userId);
        }

        if (query.Action is { } action)
        {
            records = records.Where(r => r.Action == action);
        }

        if (query.From is { } from)
        {
            records = records.Where(r => r.OccurredAt >= from);
        }

        if (query.To is { } to)
        {
            records = records.Where(r => r.OccurredAt <= to);
        }

        return records;
    }
}

/// <summary>
/// One page of trail records, newest first. <see cref="NextCursor"/> asks for the records older than
/// the last one shown; null on the last page.
/// </summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Items, string? NextCursor);

/// <summary>
/// What the compliance handlers use, bundled for <c>[AsParameters]</c>, and how a compliance
/// officer's own read of the trail (a search, "who viewed", an export) is recorded in it: the
/// trail holds who accessed which patient, so reading it is itself an access (ADR 0018).
/// </summary>
public sealed record ComplianceReads(AuditDbContext Db, AuditTrail Trail, HttpContext Http, TimeProvider Clock)
{
    /// <summary>
    /// Appends the read; the patient it concerned stays in <paramref name="details"/>, not in the
    /// patient column, so a patient's records list reads of their data, not reads of the trail.
    /// </summary>
    public async Task RecordAsync(string action, object details, CancellationToken cancellationToken)
    {
        var caller = CareMessagingCaller.From(Http.User);
        await Trail.AppendAsync(new AuditEntry
        {
            EventId = Guid.CreateVersion7(),
            OccurredAt = Clock.GetUtcNow(),
            Action = action,
            ActorId = caller.UserId is { Length: > 0 } userId ? userId : AuditEntry.UnknownActor,
            ActorRole = caller.Role is { Length: > 0 } role ? role : AuditEntry.UnknownRole,
            SourceService = ResourceNames.Audit,
            CorrelationId = Activity.Current?.TraceId.ToHexString(),
            ClientIp = ClientAddress.Of(Http),
            Details = details,
        }, cancellationToken);
    }
}
