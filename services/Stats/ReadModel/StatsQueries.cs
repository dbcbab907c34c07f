using CareMessaging.Contracts.Stats;
using CareMessaging.Stats.Data;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Stats.ReadModel;

/// <summary>
/// Counts the figures for one caller, following docs/decisions/0004-dashboard-figures.md: the
/// visible conversations are their care teams' (staff) or their own (patient). Result columns are
/// named in snake_case: the database's naming convention maps them onto the records' properties.
/// </summary>
public sealed class StatsQueries(StatsDbContext db)
{
    public async Task<DashboardFigures> GetFiguresAsync(CallerScope caller, CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQuery<DashboardFigures>(
            $"""
            WITH visible AS (
                SELECT conversation_id, patient_id, status FROM conversations
                WHERE (care_team_id = ANY({caller.CareTeams}) OR patient_id = {caller.PatientId})
            )
            SELECT
                (SELECT count(*) FROM visible) AS total_conversations,
                (SELECT count(*) FROM messages m
                    JOIN visible v ON v.conversation_id = m.conversation_id
                    LEFT JOIN read_horizons h ON h.conversation_id = m.conversation_id AND h.user_id = {caller.UserId}
                    WHERE m.sequence > coalesce(h.read_up_to, 0) AND m.sender_id <> {caller.UserId}) AS unread_messages,
                (SELECT count(DISTINCT patient_id) FROM visible WHERE status <> 'Archived') AS unique_patients,
                (SELECT count(*) FROM messages m JOIN visible v ON v.conversation_id = m.conversation_id) AS total_messages
            """).ToListAsync(cancellationToken);
        return rows.Single();
    }

    /// <summary>
    /// Per care team: the median time from a patient's opening message to the first staff reply, and
    /// the conversations awaiting a response (latest message from the patient, not archived), the
    /// oldest first: waiting since the first patient message after the last staff message.
    /// </summary>
    public async Task<IReadOnlyList<TeamResponsiveness>> GetTeamsAsync(IReadOnlyList<string> careTeams, CancellationToken cancellationToken)
    {
        if (careTeams.Count == 0)
        {
            return [];
        }

        var teams = careTeams.ToArray();
        var rows = await db.Database.SqlQuery<TeamRow>(
            $"""
            WITH per_conversation AS (
                SELECT c.conversation_id, c.care_team_id, c.status,
                    first_message.sender_kind AS first_kind,
                    first_message.sent_at AS first_at,
                    (SELECT m.sent_at FROM messages m WHERE m.conversation_id = c.conversation_id AND m.sender_kind = 'Staff'
                        ORDER BY m.sequence LIMIT 1) AS first_staff_at,
                    (SELECT m.sender_kind FROM messages m WHERE m.conversation_id = c.conversation_id
                        ORDER BY m.sequence DESC LIMIT 1) AS last_kind,
                    (SELECT min(m.sent_at) FROM messages m WHERE m.conversation_id = c.conversation_id AND m.sender_kind = 'Patient'
                        AND m.sequence > coalesce((SELECT max(s.sequence) FROM messages s
                            WHERE s.conversation_id = c.conversation_id AND s.sender_kind = 'Staff'), 0)) AS waiting_since
                FROM conversations c
                LEFT JOIN LATERAL (SELECT m.sender_kind, m.sent_at FROM messages m WHERE m.conversation_id = c.conversation_id
                    ORDER BY m.sequence LIMIT 1) first_message ON true
                WHERE c.care_team_id = ANY({teams})
            ),
            awaiting AS (
                SELECT * FROM per_conversation WHERE last_kind = 'Patient' AND status <> 'Archived'
            ),
            oldest AS (
                SELECT DISTINCT ON (care_team_id) care_team_id, conversation_id, waiting_since
                FROM awaiting ORDER BY care_team_id, waiting_since, conversation_id
            )
            SELECT t.team AS care_team_id,
                (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM p.first_staff_at - p.first_at))
                    FROM per_conversation p WHERE p.care_team_id = t.team AND p.first_kind = 'Patient' AND p.first_staff_at IS NOT NULL)
                    AS median_first_response_seconds,
                (SELECT count(*) FROM per_conversation p WHERE p.care_team_id = t.team AND p.first_kind = 'Patient'
                    AND p.first_staff_at IS NOT NULL)::int AS responded_conversations,
                (SELECT count(*) FROM awaiting a WHERE a.care_team_id = t.team)::int AS awaiting_response,
                o.conversation_id AS oldest_awaiting_conversation_id,
                o.waiting_since AS oldest_awaiting_since
            FROM unnest({teams}) AS t(team)
            LEFT JOIN oldest o ON o.care_team_id = t.team
            ORDER BY t.team
            """).ToListAsync(cancellationToken);

        return rows.Select(r => new TeamResponsiveness(
            r.CareTeamId,
            r.MedianFirstResponseSeconds,
            r.RespondedConversations,
            r.AwaitingResponse,
            r.OldestAwaitingConversationId is { } id ? new AwaitingConversation(id, r.OldestAwaitingSince!.Value) : null)).ToList();
    }

    private sealed record TeamRow(
        string CareTeamId,
        double? MedianFirstResponseSeconds,
        int RespondedConversations,
        int AwaitingResponse,
        Guid? OldestAwaitingConversationId,
        DateTimeOffset? OldestAwaitingSince);
}

/// <summary>Who is asking: a member of care teams, or a patient.</summary>
public sealed record CallerScope(string UserId, string[] CareTeams, string? PatientId);

/// <summary>The four dashboard figures, named as in <see cref="CareMessaging.Contracts.Conversations.DashboardCounts"/>.</summary>
public sealed record DashboardFigures(long TotalConversations, long UnreadMessages, long UniquePatients, long TotalMessages);


