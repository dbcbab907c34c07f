using CareMessaging.Conversation.Data;
using ConversationEntity = CareMessaging.Conversation.Conversations.Conversation;

namespace CareMessaging.Conversation.ReadState;

/// <summary>
/// Unread, the one definition (ADR 0004): a reader's unread messages in a conversation are the
/// messages after their read horizon not sent by them. The list's counts and Unread/Read filters,
/// the read state after marking read (<see cref="ForReader"/>) and the summary's figure
/// (<see cref="TotalForReader"/>) all come from here.
/// </summary>
public static class Unread
{
    /// <summary>Each conversation with the reader's horizon (0 before their first read) and their unread count.</summary>
    public static IQueryable<ReaderState> ForReader(this IQueryable<ConversationEntity> conversations, ConversationDbContext db, string readerId) =>
        from c in conversations
        join h in db.ReadHorizons.Where(h => h.ReaderId == readerId) on c.Id equals h.ConversationId into horizons
        from h in horizons.DefaultIfEmpty()
        let horizon = h == null ? 0L : h.ReadUpToSequence
        select new ReaderState
        {
            Conversation = c,
            Horizon = horizon,
            UnreadCount = db.Messages.LongCount(m => m.ConversationId == c.Id && m.Sequence > horizon && m.SenderId != readerId),
        };

    /// <summary>
    /// Conversations with unread messages for the reader. Messages after the horizon are necessary,
    /// and the last one not being the reader's is enough; only otherwise are messages counted.
    /// </summary>
    public static IQueryable<ReaderState> WithUnread(this IQueryable<ReaderState> states, string readerId) =>
        states.Where(s => s.Conversation.MessageCount > s.Horizon && (s.Conversation.LastSenderId != readerId || s.UnreadCount > 0));

    /// <summary>Conversations the reader has read to the end, apart from messages of their own.</summary>
    public static IQueryable<ReaderState> WithoutUnread(this IQueryable<ReaderState> states, string readerId) =>
        states.Where(s => s.Conversation.MessageCount <= s.Horizon || (s.Conversation.LastSenderId == readerId && s.UnreadCount == 0));

    /// <summary>
    /// The reader's unread messages over all of <paramref name="states"/>, the same count summed
    /// without a subquery per conversation: sequences have no gaps, so the messages after the horizon
    /// number <c>message_count − horizon</c>; less the reader's own among them, which one pass over
    /// the reader's messages finds.
    /// </summary>
    public static IQueryable<long> TotalForReader(this IQueryable<ReaderState> states, ConversationDbContext db, string readerId)
    {
        var ownAfterHorizon =
            from s in states
            join m in db.Messages on s.Conversation.Id equals m.ConversationId
            where m.SenderId == readerId && m.Sequence > s.Horizon
            select m;
        return states.GroupBy(_ => 1).Select(all => all.Sum(s => s.Conversation.MessageCount - s.Horizon) - ownAfterHorizon.LongCount());
    }
}

/// <summary>One conversation as one reader stands with it.</summary>
public sealed class ReaderState
{
    public required ConversationEntity Conversation { get; init; }

    /// <summary>Every message up to this sequence is read.</summary>
    public required long Horizon { get; init; }

    public required long UnreadCount { get; init; }
}
