using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Access;
using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Messages;
using CareMessaging.Conversation.Outbox;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Conversation.ReadState;

/// <summary>Moves a reader's horizon forward, never back, and tells the read models when it moved.</summary>
public sealed class ReadHorizons(ConversationDbContext db, OutboxWriter outbox, TimeProvider clock)
{
    public async Task<Outcome<ReadStateView>> MarkReadAsync(Viewer viewer, Guid conversationId, Guid upToMessageId, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.AsNoTracking().Where(viewer.CanSeeConversation())
            .SingleOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
        if (conversation is null)
        {
            return new Outcome<ReadStateView>.NotFound("There is no such conversation.");
        }

        var sequence = await db.Messages.Where(m => m.Id == upToMessageId && m.ConversationId == conversationId)
            .Select(m => (long?)m.Sequence).SingleOrDefaultAsync(cancellationToken);
        if (sequence is null)
        {
            return new Outcome<ReadStateView>.Invalid("upToMessageId", "This is not a message of the conversation.");
        }

        var now = MessageWriter.Now(clock);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Forward only, atomically: a row comes back only when the horizon was created or moved.
        var moved = await db.Database.SqlQuery<long>($"""
            INSERT INTO read_horizons (conversation_id, reader_id, read_up_to_sequence, updated_at)
            VALUES ({conversationId}, {viewer.UserId}, {sequence.Value}, {now})
            ON CONFLICT (conversation_id, reader_id) DO UPDATE
                SET read_up_to_sequence = EXCLUDED.read_up_to_sequence, updated_at = EXCLUDED.updated_at
                WHERE read_horizons.read_up_to_sequence < EXCLUDED.read_up_to_sequence
            RETURNING read_up_to_sequence AS "Value"
            """).ToListAsync(cancellationToken);

        if (moved is [var horizon])
        {
            outbox.Enqueue(new ConversationRead
            {
                EventId = Guid.CreateVersion7(now),
                OccurredAt = now,
                ActorId = viewer.UserId,
                ActorRole = viewer.Role,
                ConversationId = conversation.Id,
                PatientId = conversation.PatientId,
                CareTeamId = conversation.CareTeamId,
                ReadUpToSequence = horizon,
            });
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (moved.Count > 0)
        {
            outbox.Notify();
        }

        var current = await HorizonAsync(conversationId, viewer.UserId, cancellationToken);
        var unread = await db.Messages.CountAsync(m => m.ConversationId == conversationId && m.Sequence > current && m.SenderId != viewer.UserId, cancellationToken);
        return new Outcome<ReadStateView>.Done(new ReadStateView(conversationId, current, unread));
    }

    public Task<long> HorizonAsync(Guid conversationId, string readerId, CancellationToken cancellationToken) =>
        db.ReadHorizons.Where(h => h.ConversationId == conversationId && h.ReaderId == readerId)
            .Select(h => h.ReadUpToSequence).FirstOrDefaultAsync(cancellationToken);
}
