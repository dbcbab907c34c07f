namespace CareMessaging.Notification.Counters;

/// <summary>
/// The Lua scripts that change the counters. Each runs atomically in Redis. Every change is a set
/// operation (add a sequence above the horizon, raise the horizon, drop sequences at or below it)
/// followed by a recount, so applying an event twice, or events in another order, ends in the same
/// state. Reader keys come in groups of four: horizons, unread set, counts, total.
/// </summary>
internal static class UnreadScripts
{
    // Shared tail: set the conversation's count to the size of its set and move the total by the difference.
    private const string Recount = """
        local function recount(conversation, unread, counts, total)
            local count = redis.call('ZCARD', unread)
            local old = tonumber(redis.call('HGET', counts, conversation) or '0')
            local sum
            if count ~= old then
                if count > 0 then
                    redis.call('HSET', counts, conversation, count)
                else
                    redis.call('HDEL', counts, conversation)
                end
                sum = redis.call('INCRBY', total, count - old)
            else
                sum = tonumber(redis.call('GET', total) or '0')
            end
            return count, sum, count ~= old
        end
        """;

    /// <summary>
    /// A message arrived. KEYS[1] the event's dedupe key, then four keys per reader (the sender excluded).
    /// ARGV: conversation id, sequence, dedupe ttl seconds. Returns {is new event, then per reader: changed, count, total}.
    /// </summary>
    public const string MessageSent = Recount + """

        local isNew = redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[3]) and 1 or 0
        local conversation = ARGV[1]
        local sequence = tonumber(ARGV[2])
        local result = { isNew }
        for i = 2, #KEYS, 4 do
            local horizons, unread, counts, total = KEYS[i], KEYS[i + 1], KEYS[i + 2], KEYS[i + 3]
            local horizon = tonumber(redis.call('HGET', horizons, conversation) or '0')
            if sequence > horizon then
                redis.call('ZADD', unread, sequence, ARGV[2])
            end
            local count, sum, changed = recount(conversation, unread, counts, total)
            table.insert(result, changed and 1 or 0)
            table.insert(result, count)
            table.insert(result, sum)
        end
        return result
        """;

    /// <summary>
    /// A reader's horizon moved. KEYS: dedupe key, then the reader's four keys. ARGV: conversation id,
    /// read-up-to sequence, dedupe ttl seconds. Returns {is new event, changed, count, total}.
    /// </summary>
    public const string ConversationRead = Recount + """

        local isNew = redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[3]) and 1 or 0
        local conversation = ARGV[1]
        local upTo = tonumber(ARGV[2])
        local horizons, unread, counts, total = KEYS[2], KEYS[3], KEYS[4], KEYS[5]
        local horizon = tonumber(redis.call('HGET', horizons, conversation) or '0')
        if upTo > horizon then
            redis.call('HSET', horizons, conversation, upTo)
            horizon = upTo
        end
        redis.call('ZREMRANGEBYSCORE', unread, '-inf', horizon)
        local count, sum, changed = recount(conversation, unread, counts, total)
        return { isNew, changed and 1 or 0, count, sum }
        """;

    /// <summary>
    /// Merges the Conversation service's truth for one reader and conversation. KEYS: the reader's four
    /// keys. ARGV: conversation id, the reader's horizon there, the conversation's last sequence there,
    /// then the unread sequences there. Sequences up to that last one are replaced by the truth; newer
    /// ones (events applied since the export was read) stay; the horizon only moves forward.
    /// Returns {count, total}.
    /// </summary>
    public const string Merge = Recount + """

        local conversation = ARGV[1]
        local horizons, unread, counts, total = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
        local horizon = math.max(tonumber(redis.call('HGET', horizons, conversation) or '0'), tonumber(ARGV[2]))
        if horizon > 0 then
            redis.call('HSET', horizons, conversation, horizon)
        end
        redis.call('ZREMRANGEBYSCORE', unread, '-inf', ARGV[3])
        for i = 4, #ARGV do
            local sequence = tonumber(ARGV[i])
            if sequence > horizon then
                redis.call('ZADD', unread, sequence, ARGV[i])
            end
        end
        redis.call('ZREMRANGEBYSCORE', unread, '-inf', horizon)
        local count, sum = recount(conversation, unread, counts, total)
        return { count, sum }
        """;

    /// <summary>
    /// KEYS: total, counts of one user, the ready marker. Returns {total, [conversation, count]...},
    /// or {-1} while the marker is missing: the counters are incomplete and must not be shown.
    /// </summary>
    public const string Summary = """
        if redis.call('EXISTS', KEYS[3]) == 0 then
            return { -1 }
        end
        local result = { tonumber(redis.call('GET', KEYS[1]) or '0') }
        local counts = redis.call('HGETALL', KEYS[2])
        for i = 1, #counts do
            table.insert(result, counts[i])
        end
        return result
        """;

    /// <summary>KEYS: rebuild epoch, ready marker. ARGV: this rebuild's epoch. Marks ready only if no flush happened meanwhile.</summary>
    public const string MarkReady = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            redis.call('SET', KEYS[2], ARGV[1])
            return 1
        end
        return 0
        """;
}
