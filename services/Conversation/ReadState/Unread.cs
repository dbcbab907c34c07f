using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Messages;
using ConversationEntity = CareMessaging.Conversation.Conversations.Conversation;

namespace CareMessaging.Conversation.ReadState;

/// <summary>
/// Unread, the one definition (ADR 0004): a reader's unread messages in a conversation are the
/// messages after their read horizon not sent by them. The list's counts and Unread/Read filters,
/// the read state after marking read (<see cref="ForReader"/>) and the summary's figure
/// (<see cref="HorizonsIn"/>, <see cref="OwnAfterHorizon"/>) all come from here.
/// </summary>
public static class Unread
{
    /// <summary>
    /// Each conversation with the reader's horizon (0 before their first read) and their unread count.
    /// The horizon is a lookup per conversation rather than a join, so that a page of 50 reads 50
    /// horizons and never hashes all of the reader's.
    /// </summary>
    public static IQueryable<ReaderState> ForReader(this IQueryable<ConversationEntity> conversations, ConversationDbContext db, string readerId) =>
        from c in conversations
        let horizon = db.ReadHorizons.Where(h => h.ConversationId == c.Id && h.ReaderId == readerId).Select(h => h.ReadUpToSequence).FirstOrDefault()
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
    /// The reader's horizons in <paramref name="visible"/> conversations, for the summary's total:
    /// sequences have no gaps, so the messages after the horizons number
    /// <c>Σ message_count − Σ horizon</c>, less the reader's own among them
    /// (<see cref="OwnAfterHorizon"/>). Both read only indexes (ADR 0017).
    /// </summary>
    public static IQueryable<ReadHorizon> HorizonsIn(this IQueryable<ConversationEntity> visible, ConversationDbContext db, string readerId) =>
        db.ReadHorizons.Where(h => h.ReaderId == readerId && visible.Any(c => c.Id == h.ConversationId));

    /// <summary>The reader's own messages after their horizon in <paramref name="visible"/> conversations.</summary>
    public static IQueryable<Message> OwnAfterHorizon(this IQueryable<ConversationEntity> visible, ConversationDbContext db, string readerId) =>
        from m in db.Messages
        where m.SenderId == readerId && visible.Any(c => c.Id == m.ConversationId)
        join h in db.ReadHorizons.Where(h => h.ReaderId == readerId) on m.ConversationId equals h.ConversationId into horizons
        from h in horizons.DefaultIfEmpty()
        where m.Sequence > (h == null ? 0L : h.ReadUpToSequence)
        select m;
}

/// <summary>One conversation as one reader stands with it.</summary>
public sealed class ReaderState
{
    public required ConversationEntity Conversation { get; init; }

    /// <summary>Every message up to this sequence is read.</summary>
    public required long Horizon { get; init; }

    public required long UnreadCount { get; init; }
}
