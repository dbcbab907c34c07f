using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Paging;
using CareMessaging.Conversation.Patients;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Conversation.Conversations;

/// <summary>
/// Pages through every conversation, by id, with what the Notification and Stats services need
/// to rebuild their read models: audience, message sequence numbers and senders, read horizons.
/// </summary>
public sealed class ReadModelExport(ConversationDbContext db)
{
    public async Task<ReadModelPage> PageAsync(ExportCursor? after, int limit, CancellationToken cancellationToken)
    {
        var query = db.Conversations.AsNoTracking();
        if (after is { After: var last })
        {
            query = query.Where(c => c.Id > last);
        }

        var conversations = await query.OrderBy(c => c.Id).Take(limit + 1)
            .Select(c => new { c.Id, c.PatientId, c.CareTeamId, c.Status, c.CreatedAt, PortalUserId = c.Patient!.PortalUserId })
            .ToListAsync(cancellationToken);
        var page = conversations.Take(limit).ToList();
        var ids = page.Select(c => c.Id).ToList();

        var messages = (await db.Messages.AsNoTracking().Where(m => ids.Contains(m.ConversationId))
                .OrderBy(m => m.ConversationId).ThenBy(m => m.Sequence)
                .Select(m => new { m.ConversationId, m.Id, m.Sequence, m.SenderId, m.SenderKind, m.SentAt })
                .ToListAsync(cancellationToken))
            .ToLookup(m => m.ConversationId);
        var horizons = (await db.ReadHorizons.AsNoTracking().Where(h => ids.Contains(h.ConversationId)).ToListAsync(cancellationToken))
            .ToLookup(h => h.ConversationId);
        var staff = await Audiences.StaffByTeamAsync(db, [.. page.Select(c => c.CareTeamId)], cancellationToken);

        var items = page.Select(c => new ReadModelConversation
        {
            ConversationId = c.Id,
            PatientId = c.PatientId,
            CareTeamId = c.CareTeamId,
            Status = c.Status,
            CreatedAt = c.CreatedAt,
            Audience = Audiences.Combine(staff[c.CareTeamId], c.PortalUserId),
            Messages = [.. messages[c.Id].Select(m => new ReadModelMessage
            {
                MessageId = m.Id,
                Sequence = m.Sequence,
                SenderId = m.SenderId,
                SenderKind = m.SenderKind,
                SentAt = m.SentAt,
            })],
            ReadHorizons = horizons[c.Id].ToDictionary(h => h.ReaderId, h => h.ReadUpToSequence),
        }).ToList();

        return new ReadModelPage
        {
            Items = items,
            NextCursor = conversations.Count > limit ? new ExportCursor(page[^1].Id).Encode() : null,
        };
    }
}
