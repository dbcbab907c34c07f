using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Access;
using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Encryption;
using CareMessaging.Conversation.Messages;
using CareMessaging.Conversation.Paging;
using CareMessaging.Conversation.Patients;
using CareMessaging.Conversation.ReadState;
using Microsoft.EntityFrameworkCore;
using ConversationEntity = CareMessaging.Conversation.Conversations.Conversation;

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
public sealed class ConversationQueries(ConversationDbContext db, ProtectedFields fields, MessageQueries messages)
{
    public async Task<ConversationListPage> ListAsync(CareMessagingCaller caller, ListRequest request, CancellationToken cancellationToken)
    {
        var pages = caller.VisibleParts()
            .Select(part => PageOf(db.Conversations.AsNoTracking().Where(part), caller.UserId, request))
            .Aggregate(Queryable.Concat);
        var rows = await Project(pages.OrderByDescending(s => s.Conversation.LastActivityAt).ThenByDescending(s => s.Conversation.Id).Take(request.Limit + 1))
            .ToListAsync(cancellationToken);

        var items = rows.Take(request.Limit).Select(ToItem).ToList();
        var next = rows.Count > request.Limit ? new ListCursor(items[^1].LastActivityAt, items[^1].Id).Encode() : null;
        return new ConversationListPage(items, next);
    }

    /// <summary>One conversation as the caller's list would show it, or null when the caller cannot see it.</summary>
    public async Task<(ConversationListItem Item, long ReadUpToSequence, string CreatedBy, SenderKind CreatedByKind)?> GetAsync(
        CareMessagingCaller caller, Guid id, CancellationToken cancellationToken)
    {
        var row = await Project(db.Conversations.AsNoTracking().Where(caller.CanSeeConversation()).Where(c => c.Id == id).ForReader(db, caller.UserId))
            .SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : (ToItem(row), row.Horizon, row.CreatedBy, row.CreatedByKind);
    }

    /// <summary>A conversation with its latest messages, or null when the caller cannot see it.</summary>
    public async Task<ConversationThread?> ThreadAsync(CareMessagingCaller caller, Guid id, CancellationToken cancellationToken)
    {
        if (await GetAsync(caller, id, cancellationToken) is not { } found)
        {
            return null;
        }

        var latest = await messages.PageAsync(id, caller.UserId, new MessagePageRequest(), cancellationToken);
        return new ConversationThread(found.Item, found.CreatedBy, found.CreatedByKind, found.ReadUpToSequence, latest);
    }

    /// <summary>The ids of a conversation the caller can see, or null; cheaper than <see cref="GetAsync"/> when only access matters.</summary>
    public Task<ConversationKeys?> FindAsync(CareMessagingCaller caller, Guid id, CancellationToken cancellationToken) =>
        db.Conversations.AsNoTracking().Where(caller.CanSeeConversation()).Where(c => c.Id == id)
            .Select(c => (ConversationKeys?)new ConversationKeys(c.Id, c.PatientId, c.CareTeamId))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>The four dashboard figures for the caller, straight from this database, in one statement.</summary>
    public async Task<DashboardCounts> SummaryAsync(CareMessagingCaller caller, CancellationToken cancellationToken)
    {
        var visible = db.Conversations.AsNoTracking().Where(caller.CanSeeConversation());
        var settled = visible.SettledIn(db, caller);
        var figures = await visible.GroupBy(_ => 1)
            .Select(all => new
            {
                Conversations = all.LongCount(),
                Patients = all.Where(c => c.Status != ConversationStatus.Archived).Select(c => c.PatientId).Distinct().LongCount(),
                Messages = all.Sum(c => c.MessageCount),
                Unread = all.Sum(c => c.MessageCount) - settled.Sum(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        return new DashboardCounts
        {
            TotalConversations = figures?.Conversations ?? 0,
            UnreadMessages = figures?.Unread ?? 0,
            UniquePatients = figures?.Patients ?? 0,
            TotalMessages = figures?.Messages ?? 0,
        };
    }

    // One part's first rows of the page, newest first; the parts' pages are merged and cut again.
    private IQueryable<ReaderState> PageOf(IQueryable<ConversationEntity> query, string readerId, ListRequest request)
    {
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

        var states = query.ForReader(db, readerId);
        states = request.Filter switch
        {
            ReadFilter.Unread => states.WithUnread(readerId),
            ReadFilter.Read => states.WithoutUnread(readerId),
            _ => states,
        };
        return states.OrderByDescending(s => s.Conversation.LastActivityAt).ThenByDescending(s => s.Conversation.Id).Take(request.Limit + 1);
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

    // The names are looked up per row shown rather than joined: a join lets the planner hash all
    // patients for a page of 50 (ADR 0017).
    private IQueryable<Row> Project(IQueryable<ReaderState> states) =>
        states.Select(s => new Row
        {
            Id = s.Conversation.Id,
            PatientId = s.Conversation.PatientId,
            GivenName = db.Patients.Where(p => p.PatientId == s.Conversation.PatientId).Select(p => p.GivenName).First(),
            FamilyName = db.Patients.Where(p => p.PatientId == s.Conversation.PatientId).Select(p => p.FamilyName).First(),
            CareTeamId = s.Conversation.CareTeamId,
            Topic = s.Conversation.Topic,
            Status = s.Conversation.Status,
            Preview = s.Conversation.LastMessagePreview,
            PreviewKeyId = s.Conversation.PreviewKeyId,
            LastSenderKind = s.Conversation.LastSenderKind,
            LastActivityAt = s.Conversation.LastActivityAt,
            CreatedAt = s.Conversation.CreatedAt,
            CreatedBy = s.Conversation.CreatedBy,
            CreatedByKind = s.Conversation.CreatedByKind,
            MessageCount = s.Conversation.MessageCount,
            Horizon = s.Horizon,
            Unread = s.UnreadCount,
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

        public long Unread { get; init; }
    }
}
