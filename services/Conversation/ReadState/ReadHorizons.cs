using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Access;
using CareMessaging.Conversation.Conversations;
using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Outbox;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Conversation.ReadState;

/// <summary>Moves a reader's horizon forward, never back, and tells the read models when it moved.</summary>
public sealed class ReadHorizons(ConversationDbContext db, OutboxWriter outbox, TimeProvider clock)
{
    public async Task<Outcome<ReadStateView>> MarkReadAsync(CareMessagingCaller reader, Guid conversationId, Guid upToMessageId, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.AsNoTracking().Where(reader.CanSeeConversation())
            .SingleOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
        if (conversation is null)
        {
            return new Outcome<ReadStateView>.NotFound(ConversationCommands.NoSuchConversation);
        }

        var sequence = await db.Messages.Where(m => m.Id == upToMessageId && m.ConversationId == conversationId)
            .Select(m => (long?)m.Sequence).SingleOrDefaultAsync(cancellationToken);
        if (sequence is null)
        {
            return new Outcome<ReadStateView>.Invalid("upToMessageId", "This is not a message of the conversation.");
        }

        var header = EventHeader.For(reader, conversation.Keys, clock);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Forward only, atomically: a row comes back only when the horizon was created or moved.
        var moved = await db.Database.SqlQuery<long>($"""
            INSERT INTO read_horizons (conversation_id, reader_id, read_up_to_sequence, updated_at)
            VALUES ({conversationId}, {reader.UserId}, {sequence.Value}, {header.OccurredAt})
            ON CONFLICT (conversation_id, reader_id) DO UPDATE
                SET read_up_to_sequence = EXCLUDED.read_up_to_sequence, updated_at = EXCLUDED.updated_at
                WHERE read_horizons.read_up_to_sequence < EXCLUDED.read_up_to_sequence
            RETURNING read_up_to_sequence AS "Value"
            """).ToListAsync(cancellationToken);

        if (moved is [var horizon])
        {
            outbox.Enqueue(new ConversationRead(header)
            {
                ReadUpToSequence = horizon,
            });
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);

        var state = await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId).ForReader(db, reader.UserId)
            .Select(s => new ReadStateView(conversationId, s.Horizon, s.UnreadCount))
            .SingleAsync(cancellationToken);
        return new Outcome<ReadStateView>.Done(state, moved.Count > 0 ? Effect.Changed : Effect.Unchanged);
    }
}
