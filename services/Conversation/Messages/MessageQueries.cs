using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Paging;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Conversation.Messages;

/// <summary>
/// Which messages a page holds: the latest, those <see cref="Before"/> a sequence (history), or
/// those <see cref="After"/> a sequence (what is new); at most one of the two.
/// </summary>
public sealed record MessagePageRequest(MessageCursor? Before = null, MessageCursor? After = null, int Limit = ConversationLimits.DefaultMessageLimit);

/// <summary>Pages through a conversation's messages; every page is in chronological order.</summary>
public sealed class MessageQueries(ConversationDbContext db, MessageWriter writer)
{
    public async Task<MessagePage> PageAsync(Guid conversationId, string viewerId, MessagePageRequest request, CancellationToken cancellationToken)
    {
        var query = db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId);
        if (request.After is { Sequence: var after })
        {
            // The oldest new ones first: a burst larger than a page is fetched page by page, with no gap.
            var newer = await query.Where(m => m.Sequence > after).OrderBy(m => m.Sequence).Take(request.Limit).ToListAsync(cancellationToken);
            return new MessagePage([.. newer.Select(m => writer.View(m, viewerId))], NextBefore: null);
        }

        if (request.Before is { Sequence: var before })
        {
            query = query.Where(m => m.Sequence < before);
        }

        var newestFirst = await query.OrderByDescending(m => m.Sequence).Take(request.Limit + 1).ToListAsync(cancellationToken);
        var page = newestFirst.Take(request.Limit).Reverse().Select(m => writer.View(m, viewerId)).ToList();
        return new MessagePage(page, newestFirst.Count > request.Limit ? page[0].Sequence : null);
    }
}
