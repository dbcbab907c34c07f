using CareMessaging.Contracts;
using CareMessaging.Conversation.Data;
using ConversationEntity = CareMessaging.Conversation.Conversations.Conversation;

namespace CareMessaging.Conversation.ReadState;

/// <summary>
/// Unread, the one definition (ADR 0004): a reader's unread messages in a conversation are the
/// messages after their read horizon not sent by them. The list's counts and Unread/Read filters,
/// the read state after marking read (<see cref="ForReader"/>) and the summary's figure
/// (<see cref="SettledIn"/>) all come from here.
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
    /// The messages of <paramref name="visible"/> conversations that are not unread for the reader:
    /// those up to their horizon and their own after it. Sequences have no gaps, so the unread
    /// total is <c>Σ message_count</c> less this. Staff see whole care teams, so theirs is the sum
    /// of their teams' tallies (<see cref="ReaderTally"/>, ADR 0017); a patient's is counted from
    /// their horizons and messages, which are few.
    /// </summary>
    public static IQueryable<long> SettledIn(this IQueryable<ConversationEntity> visible, ConversationDbContext db, CareMessagingCaller reader)
    {
        var readerId = reader.UserId;
        if (reader.Kind == CallerKind.Staff)
        {
            var teams = reader.CareTeams.ToList();
            return db.ReaderTallies.Where(t => t.ReaderId == readerId && teams.Contains(t.CareTeamId)).Select(t => t.SettledMessages);
        }

        var read = db.ReadHorizons.Where(h => h.ReaderId == readerId && visible.Any(c => c.Id == h.ConversationId)).Select(h => h.ReadUpToSequence);
        var ownAfterHorizon =
            from m in db.Messages
            where m.SenderId == readerId && visible.Any(c => c.Id == m.ConversationId)
            join h in db.ReadHorizons.Where(h => h.ReaderId == readerId) on m.ConversationId equals h.ConversationId into horizons
            from h in horizons.DefaultIfEmpty()
            where m.Sequence > (h == null ? 0L : h.ReadUpToSequence)
            select 1L;
        return read.Concat(ownAfterHorizon);
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
