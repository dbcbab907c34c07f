using System.Diagnostics;
using CareMessaging.Audit.Data;
using CareMessaging.Audit.Export;
using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Audit.Apis;

/// <summary>The audit trail for compliance officers: search, who viewed a patient's messages, verification, export.</summary>
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

    public static async Task<Results<Ok<AuditPage>, ValidationProblem>> SearchRecords(
        [AsParameters] AuditQuery query, AuditDbContext db, CancellationToken cancellationToken)
    {
        if (query.Validate(out var errors) is not { } valid)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var records = Filter(db.Records.AsNoTracking(), valid);
        if (valid.Cursor is { } cursor)
        {
            records = records.Where(r => r.Id < cursor.BeforeId);
        }

        // One row more than the page shows tells whether an older page exists.
        var rows = await records.OrderByDescending(r => r.Id).Take(valid.Limit + 1).ToListAsync(cancellationToken);
        var items = rows.Count > valid.Limit ? rows[..valid.Limit] : rows;
        var next = rows.Count > valid.Limit ? new AuditCursor(items[^1].Id).Encode() : null;
        return TypedResults.Ok(new AuditPage(items, next));
    }

    /// <summary>Everyone who viewed any of the patient's conversations, most recent viewer first.</summary>
    public static async Task<Ok<PatientViewers>> GetPatientViewers(string patientId, AuditDbContext db, CancellationToken cancellationToken)
    {
        var viewers = await db.Records.AsNoTracking()
            .Where(r => r.PatientId == patientId && r.Action == AuditActions.ConversationViewed)
            .GroupBy(r => new { r.ActorId, r.ActorRole })
            .OrderByDescending(g => g.Max(r => r.OccurredAt))
            .Select(g => new PatientViewer(g.Key.ActorId, g.Key.ActorRole, g.Count(), g.Min(r => r.OccurredAt), g.Max(r => r.OccurredAt)))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PatientViewers(patientId, viewers));
    }

    public static async Task<Ok<ChainVerification>> VerifyChain(AuditTrail trail, CancellationToken cancellationToken) =>
        TypedResults.Ok(await trail.VerifyAsync(cancellationToken));

    /// <summary>Streams the records of a time range as CSV or NDJSON; the export itself is recorded in the trail.</summary>
    public static async Task<Results<PushStreamHttpResult, ValidationProblem>> ExportRecords(
        [AsParameters] AuditQuery query, string? format, HttpContext http, AuditDbContext db, AuditTrail trail,
        TimeProvider clock, CancellationToken cancellationToken)
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

        var caller = CareMessagingCaller.From(http.User);
        await trail.AppendAsync(new AuditEntry
        {
            EventId = Guid.CreateVersion7(),
            OccurredAt = clock.GetUtcNow(),
            Action = AuditActions.Exported,
            ActorId = caller.UserId is { Length: > 0 } userId ? userId : AuditEntry.UnknownActor,
            ActorRole = caller.Role is { Length: > 0 } role ? role : AuditEntry.UnknownRole,
            SourceService = ResourceNames.Audit,
            CorrelationId = Activity.Current?.TraceId.ToHexString(),
            ClientIp = ClientAddress.Of(http),
            Details = new { valid.From, valid.To, Format = exportFormat.Name, valid.PatientId, valid.UserId, valid.Action },
        }, cancellationToken);

        var records = Filter(db.Records.AsNoTracking(), valid).OrderBy(r => r.Id).AsAsyncEnumerable();
        return TypedResults.Stream(
            body => exportFormat.WriteAsync(records, body, http.RequestAborted),
            exportFormat.ContentType,
            $"audit-{valid.From:yyyyMMdd}-{valid.To:yyyyMMdd}.{exportFormat.Extension}");
    }

    private static IQueryable<AuditRecord> Filter(IQueryable<AuditRecord> records, AuditQuery.Valid query)
    {
        if (query.PatientId is { } patientId)
        {
            records = records.Where(r => r.PatientId == patientId);
        }

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

/// <summary>Who viewed a patient's conversations, and how often.</summary>
public sealed record PatientViewers(string PatientId, IReadOnlyList<PatientViewer> Viewers);

public sealed record PatientViewer(string UserId, string Role, int Views, DateTimeOffset FirstViewedAt, DateTimeOffset LastViewedAt);
