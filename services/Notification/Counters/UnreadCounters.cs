using CareMessaging.Contracts.Conversations;
using CareMessaging.Contracts.Notifications;
using StackExchange.Redis;

namespace CareMessaging.Notification.Counters;

/// <summary>The unread counters: applies events and rebuild merges through <see cref="UnreadScripts"/> and reads summaries.</summary>
public sealed class UnreadCounters(IConnectionMultiplexer redis)
{
    /// <summary>How long an event id is remembered for deduplication; redeliveries come within minutes.</summary>
    public static readonly TimeSpan EventMemory = TimeSpan.FromDays(7);

    private IDatabase Db => redis.GetDatabase();

    /// <summary>Counts the message as unread for every reader but its sender.</summary>
    public async Task<CounterChange> ApplyAsync(MessageSent sent)
    {
        var readers = sent.Audience.Where(u => u != sent.ActorId).Distinct().ToArray();
        RedisKey[] keys = [UnreadKeys.Event(sent.EventId), .. readers.SelectMany(u => UnreadKeys.Reader(u, sent.ConversationId))];
        RedisValue[] args = [sent.ConversationId.ToString("N"), sent.Sequence, (long)EventMemory.TotalSeconds];
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(UnreadScripts.MessageSent, keys, args))!;

        var changes = new List<ReaderUnread>();
        for (var i = 0; i < readers.Length; i++)
        {
            if ((long)result[1 + (i * 3)] == 1)
            {
                changes.Add(new ReaderUnread(readers[i], new UnreadChanged((long)result[3 + (i * 3)], sent.ConversationId, (long)result[2 + (i * 3)])));
            }
        }

        return new CounterChange((long)result[0] == 1, await WithTrustworthyTotalsAsync(changes));
    }

    /// <summary>Moves the reader's horizon and clears what it covers.</summary>
    public async Task<CounterChange> ApplyAsync(ConversationRead read)
    {
        RedisKey[] keys = [UnreadKeys.Event(read.EventId), .. UnreadKeys.Reader(read.ActorId, read.ConversationId)];
        RedisValue[] args = [read.ConversationId.ToString("N"), read.ReadUpToSequence, (long)EventMemory.TotalSeconds];
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(UnreadScripts.ConversationRead, keys, args))!;
        var changes = (long)result[1] == 1
            ? [new ReaderUnread(read.ActorId, new UnreadChanged((long)result[3], read.ConversationId, (long)result[2]))]
            : Array.Empty<ReaderUnread>();
        return new CounterChange((long)result[0] == 1, await WithTrustworthyTotalsAsync(changes));
    }

    /// <summary>
    /// While the counters are being rebuilt a reader's total is counted from incomplete sets, so no
    /// change is reported for pushing: a badge keeps its last value rather than showing a wrong one
    /// (docs/decisions/0036-not-ready-until-counters-are-built.md).
    /// </summary>
    private async Task<IReadOnlyList<ReaderUnread>> WithTrustworthyTotalsAsync(IReadOnlyList<ReaderUnread> changes) =>
        changes.Count == 0 || await Db.KeyExistsAsync(UnreadKeys.Ready) ? changes : [];

    /// <summary>Merges the truth for one reader of one conversation (see <see cref="UnreadScripts.Merge"/>).</summary>
    public Task MergeAsync(string userId, Guid conversationId, long horizon, long lastSequence, IEnumerable<long> unreadSequences)
    {
        RedisValue[] args = [conversationId.ToString("N"), horizon, lastSequence, .. unreadSequences.Select(s => (RedisValue)s)];
        return Db.ScriptEvaluateAsync(UnreadScripts.Merge, UnreadKeys.Reader(userId, conversationId), args);
    }

    /// <summary>The reader's total and per-conversation counts; null while the counters are being rebuilt.</summary>
    public async Task<UnreadSummary?> GetSummaryAsync(string userId)
    {
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(UnreadScripts.Summary, [UnreadKeys.Total(userId), UnreadKeys.Counts(userId), UnreadKeys.Ready]))!;
        if ((long)result[0] < 0)
        {
            return null;
        }

        var conversations = new List<ConversationUnread>();
        for (var i = 1; i + 1 < result.Length; i += 2)
        {
            if (Guid.TryParseExact((string)result[i]!, "N", out var conversationId))
            {
                conversations.Add(new ConversationUnread(conversationId, (long)result[i + 1]));
            }
        }

        return new UnreadSummary((long)result[0], conversations.OrderByDescending(c => c.Unread).ThenBy(c => c.ConversationId).ToList());
    }
}

/// <summary>What an event did: whether it was new, and the readers whose counts changed.</summary>
public sealed record CounterChange(bool IsNewEvent, IReadOnlyList<ReaderUnread> Changes);

public sealed record ReaderUnread(string UserId, UnreadChanged Push);
