using CareMessaging.Audit.Data;
using CareMessaging.Audit.Trail;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Audit.Viewers;

/// <summary>
/// The records of reads of one patient's data, whether the record names the patient (a thread or
/// a profile) or lists them among what a page showed (a list, a search, the read-model export, the
/// directory: ADR 0018), and "who viewed this patient" with the kind of access of each.
/// </summary>
public static class PatientReads
{
    /// <summary>The kind of access as "who viewed" names it.</summary>
    public static class Kinds
    {
        public const string Thread = "thread";
        public const string Profile = "profile";
        public const string Directory = "directory";

        // A listed page's kind is the event's ListingKind in lower case: list, search or export.
    }

    // Literals, not parameters, so that the planner can use the partial index of listed patients
    // (migration ListedPatientsIndex), whose predicate and expression these repeat exactly.
    private const string Listed =
        $"action IN ('{AuditActions.ConversationsListed}', '{AuditActions.PatientsListed}') AND (details::jsonb -> 'patientIds') @> jsonb_build_array({{0}}::text)";

    private const string Named = $"patient_id = {{0}}";

    private const string ConcerningSql = $"SELECT * FROM audit_records WHERE {Named} OR ({Listed})";

    private const string ViewersSql =
        $"""
        SELECT actor_id AS user_id, actor_role AS role, kind, count(*)::int AS views,
               min(occurred_at) AS first_viewed_at, max(occurred_at) AS last_viewed_at
        FROM (
            SELECT actor_id, actor_role, occurred_at,
                   CASE action WHEN '{AuditActions.ConversationViewed}' THEN '{Kinds.Thread}' ELSE '{Kinds.Profile}' END AS kind
            FROM audit_records
            WHERE {Named} AND action IN ('{AuditActions.ConversationViewed}', '{AuditActions.PatientProfileViewed}')
            UNION ALL
            SELECT actor_id, actor_role, occurred_at,
                   CASE action WHEN '{AuditActions.PatientsListed}' THEN '{Kinds.Directory}' ELSE lower(details::jsonb ->> 'kind') END
            FROM audit_records
            WHERE {Listed}
        ) reads
        GROUP BY actor_id, actor_role, kind
        ORDER BY max(occurred_at) DESC, actor_id, kind
        """;

    /// <summary>Every record about the patient: those naming them, and the pages that showed them.</summary>
    public static IQueryable<AuditRecord> Concerning(AuditDbContext db, string patientId) =>
        db.Records.FromSqlRaw(ConcerningSql, patientId);

    /// <summary>Everyone who saw the patient's data, once per kind of access, most recent first.</summary>
    public static async Task<IReadOnlyList<PatientViewer>> ViewersAsync(AuditDbContext db, string patientId, CancellationToken cancellationToken) =>
        await db.Database.SqlQueryRaw<PatientViewer>(ViewersSql, patientId).ToListAsync(cancellationToken);
}

/// <summary>Who saw a patient's data, by kind of access (thread, profile, list, search, export, directory).</summary>
public sealed record PatientViewers(string PatientId, IReadOnlyList<PatientViewer> Viewers);

/// <summary>One person's reads of one kind: how many, the first and the last.</summary>
public sealed record PatientViewer(string UserId, string Role, string Kind, int Views, DateTimeOffset FirstViewedAt, DateTimeOffset LastViewedAt);
