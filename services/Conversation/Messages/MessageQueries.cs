using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Data;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Conversation.Messages;

/// <summary>Pages through a conversation's messages, newest page first, each page in chronological order.</summary>
public sealed class MessageQueries(ConversationDbContext db, MessageWriter writer)
{
    /// <summary>Up to <paramref name="limit"/> messages with a sequence below <paramref name="before"/> (or the latest), oldest first.</summary>
    public async Task<MessagePage> PageAsync(Guid conversationId, string viewerId, long? before, int limit, CancellationToken cancellationToken)
    {
        var query = db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId);
        if (before is { } sequence)
        {
            query = query.Where(m => m.Sequence < sequence);
        }

        var newestFirst = await query.OrderByDescending(m => m.Sequence).Take(limit + 1).ToListAsync(cancellationToken);
        var page = newestFirst.Take(limit).Reverse().Select(m => writer.View(m, viewerId)).ToList();
        return new MessagePage(page, newestFirst.Count > limit ? page[0].Sequence : null);
    }
}
