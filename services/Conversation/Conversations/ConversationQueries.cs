using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Access;
using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Encryption;
using CareMessaging.Conversation.Patients;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Conversation.Conversations;

/// <summary>What a conversation list asks for.</summary>
public sealed record ListRequest(
    ReadFilter Filter = ReadFilter.All,
    string? Search = null,
    ConversationStatus? Status = null,
    ListCursor? After = null,
    int Limit = 50,
    string? PatientId = null);

/// <summary>
/// Reads conversations for one caller: the list (filters, search, keyset pages), one
/// conversation, and the dashboard figures of docs/decisions/0004-dashboard-figures.md.
/// </summary>
public sealed class ConversationQueries(ConversationDbContext db, ProtectedFields fields)
{
    public async Task<ConversationListPage> ListAsync(Viewer viewer, ListRequest request, CancellationToken cancellationToken)
    {
        var me = viewer.UserId;
        var query = db.Conversations.AsNoTracking().Where(viewer.CanSeeConversation());

        if (request.PatientId is { } patientId)
        {
            query = query.Where(c => c.PatientId == patientId);
        }

        if (request.Status is { } status)
        {
            query = query.Where(c => c.Status == status);
        }

        if (SearchPattern(request.Search) is { } pattern)
        {
            query = query.Where(c => EF.Functions.Like(c.SearchText, pattern, @"\"));
        }

        if (request.After is { } after)
        {
            query = query.Where(c => EF.Functions.LessThan(
                ValueTuple.Create(c.LastActivityAt, c.Id),
                ValueTuple.Create(after.LastActivityAt, after.Id)));
        }

        // Unread, as defined once in ADR 0004: a message after the caller's horizon not sent by the caller.
        query = request.Filter switch
        {
            ReadFilter.Unread => query.Where(c =>
                c.MessageCount > db.ReadHorizons.Where(h => h.ConversationId == c.Id && h.ReaderId == me).Select(h => h.ReadUpToSequence).FirstOrDefault()
                && (c.LastSenderId != me || db.Messages.Any(m => m.ConversationId == c.Id && m.SenderId != me
                    && m.Sequence > db.ReadHorizons.Where(h => h.ConversationId == c.Id && h.ReaderId == me).Select(h => h.ReadUpToSequence).FirstOrDefault()))),
            ReadFilter.Read => query.Where(c =>
                c.MessageCount <= db.ReadHorizons.Where(h => h.ConversationId == c.Id && h.ReaderId == me).Select(h => h.ReadUpToSequence).FirstOrDefault()
                || !db.Messages.Any(m => m.ConversationId == c.Id && m.SenderId != me
                    && m.Sequence > db.ReadHorizons.Where(h => h.ConversationId == c.Id && h.ReaderId == me).Select(h => h.ReadUpToSequence).FirstOrDefault())),
            _ => query,
        };

        var rows = await Project(query.OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Id).Take(request.Limit + 1), me)
            .ToListAsync(cancellationToken);

        var items = rows.Take(request.Limit).Select(ToItem).ToList();
        var next = rows.Count > request.Limit ? new ListCursor(items[^1].LastActivityAt, items[^1].Id).Encode() : null;
        return new ConversationListPage(items, next);
    }

    /// <summary>One conversation as the caller's list would show it, or null when the caller cannot see it.</summary>
    public async Task<(ConversationListItem Item, long ReadUpToSequence, string CreatedBy, SenderKind CreatedByKind)?> GetAsync(
        Viewer viewer, Guid id, CancellationToken cancellationToken)
    {
        var row = await Project(db.Conversations.AsNoTracking().Where(viewer.CanSeeConversation()).Where(c => c.Id == id), viewer.UserId)
            .SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : (ToItem(row), row.Horizon, row.CreatedBy, row.CreatedByKind);
    }

    /// <summary>The four dashboard figures for the caller, straight from this database.</summary>
    public async Task<DashboardCounts> SummaryAsync(Viewer viewer, CancellationToken cancellationToken)
    {
        if (viewer.Kind == ViewerKind.None)
        {
            return new DashboardCounts { TotalConversations = 0, UnreadMessages = 0, UniquePatients = 0, TotalMessages = 0 };
        }

        // Unread = Σ (messages after the horizon) − (the caller's own messages after the horizon):
        // the first term needs only the conversation rows, the second only the caller's messages.
        var visible = viewer.IsStaff ? "c.care_team_id = ANY({1})" : "c.patient_id = {2}";
        var sql = $$"""
            WITH visible AS (
                SELECT c.id, c.patient_id, c.status, c.message_count, COALESCE(h.read_up_to_sequence, 0) AS horizon
                FROM conversations c
                LEFT JOIN read_horizons h ON h.conversation_id = c.id AND h.reader_id = {0}
                WHERE {{visible}}
            ), own_after_horizon AS (
                SELECT count(*) AS n
                FROM messages m JOIN visible v ON v.id = m.conversation_id
                WHERE m.sender_id = {0} AND m.sequence > v.horizon
            )
            SELECT count(*) AS total_conversations,
                   COALESCE(sum(GREATEST(v.message_count - v.horizon, 0)), 0) - (SELECT n FROM own_after_horizon) AS unread_messages,
                   count(DISTINCT v.patient_id) FILTER (WHERE v.status <> 'Archived') AS unique_patients,
                   COALESCE(sum(v.message_count), 0) AS total_messages
            FROM visible v
            """;
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql.Replace("{0}", "@me", StringComparison.Ordinal)
            .Replace("{1}", "@teams", StringComparison.Ordinal)
            .Replace("{2}", "@patient", StringComparison.Ordinal);
        command.Parameters.Add(new Npgsql.NpgsqlParameter("me", viewer.UserId));
        command.Parameters.Add(new Npgsql.NpgsqlParameter("teams", viewer.CareTeams.ToArray()));
        command.Parameters.Add(new Npgsql.NpgsqlParameter("patient", viewer.PatientId ?? string.Empty));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new DashboardCounts
        {
            TotalConversations = reader.GetInt64(0),
            UnreadMessages = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
            UniquePatients = reader.GetInt64(2),
            TotalMessages = Convert.ToInt64(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// A LIKE pattern for a case-insensitive substring search, or null for no search. The
    /// search text is stored lower-cased, so the trigram index serves a plain LIKE.
    /// </summary>
    public static string? SearchPattern(string? search)
    {
        if (string.IsNullOrWhiteSpace(search))
        {
            return null;
        }

        var escaped = search.Trim().ToLowerInvariant()
            .Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
        return $"%{escaped}%";
    }

    private IQueryable<Row> Project(IQueryable<Conversation> query, string me) =>
        query.Select(c => new Row
        {
            Id = c.Id,
            PatientId = c.PatientId,
            GivenName = c.Patient!.GivenName,
            FamilyName = c.Patient.FamilyName,
            CareTeamId = c.CareTeamId,
            Topic = c.Topic,
            Status = c.Status,
            Preview = c.LastMessagePreview,
            PreviewKeyId = c.PreviewKeyId,
            LastSenderKind = c.LastSenderKind,
            LastActivityAt = c.LastActivityAt,
            CreatedAt = c.CreatedAt,
            CreatedBy = c.CreatedBy,
            CreatedByKind = c.CreatedByKind,
            MessageCount = c.MessageCount,
            Horizon = db.ReadHorizons.Where(h => h.ConversationId == c.Id && h.ReaderId == me).Select(h => h.ReadUpToSequence).FirstOrDefault(),
            Unread = db.Messages.Count(m => m.ConversationId == c.Id && m.SenderId != me
                && m.Sequence > db.ReadHorizons.Where(h => h.ConversationId == c.Id && h.ReaderId == me).Select(h => h.ReadUpToSequence).FirstOrDefault()),
        });

    private ConversationListItem ToItem(Row row) => new()
    {
        Id = row.Id,
        PatientId = row.PatientId,
        PatientName = $"{row.GivenName} {row.FamilyName}",
        PatientInitials = PatientNames.Initials(row.GivenName, row.FamilyName),
        CareTeamId = row.CareTeamId,
        Topic = row.Topic,
        Status = row.Status,
        LastMessagePreview = fields.OpenPreview(row.Id, row.PreviewKeyId, row.Preview),
        LastSenderKind = row.LastSenderKind,
        LastActivityAt = row.LastActivityAt,
        CreatedAt = row.CreatedAt,
        MessageCount = row.MessageCount,
        UnreadCount = row.Unread,
        AwaitingResponse = row.LastSenderKind == SenderKind.Patient,
    };

    private sealed class Row
    {
        public Guid Id { get; init; }

        public string PatientId { get; init; } = "";

        public string GivenName { get; init; } = "";

        public string FamilyName { get; init; } = "";

        public string CareTeamId { get; init; } = "";

        public string Topic { get; init; } = "";

        public ConversationStatus Status { get; init; }

        public byte[] Preview { get; init; } = [];

        public string PreviewKeyId { get; init; } = "";

        public SenderKind LastSenderKind { get; init; }

        public DateTimeOffset LastActivityAt { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public string CreatedBy { get; init; } = "";

        public SenderKind CreatedByKind { get; init; }

        public long MessageCount { get; init; }

        public long Horizon { get; init; }

        public int Unread { get; init; }
    }
}
