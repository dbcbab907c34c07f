using StackExchange.Redis;

namespace CareMessaging.Notification.Counters;

/// <summary>
/// Where the unread state lives in Redis. Per reader and conversation: the set of unread message
/// sequences and the read horizon; per reader: the count of each conversation and the total.
/// Counts are always the size of the set, so replays and reordering cannot push them off
/// (docs/decisions/0032-unread-counters-in-redis.md).
/// </summary>
public static class UnreadKeys
{
    public const string Prefix = "notification:";

    /// <summary>Present while the counters are complete; missing after Redis lost its data, which starts a rebuild.</summary>
    public static readonly RedisKey Ready = Prefix + "ready";

    /// <summary>Set when a rebuild starts; the rebuild marks the counters ready only if it is still its own.</summary>
    public static readonly RedisKey RebuildEpoch = Prefix + "rebuild-epoch";

    /// <summary>Held by the replica that rebuilds, so replicas do not all rebuild at once.</summary>
    public static readonly RedisKey RebuildLock = Prefix + "rebuild-lock";

    public static RedisKey Event(Guid eventId) => $"{Prefix}event:{eventId:N}";

    public static RedisKey UnreadSequences(string userId, Guid conversationId) => $"{Prefix}unread:{userId}:{conversationId:N}";

    public static RedisKey Horizons(string userId) => $"{Prefix}horizons:{userId}";

    public static RedisKey Counts(string userId) => $"{Prefix}counts:{userId}";

    public static RedisKey Total(string userId) => $"{Prefix}total:{userId}";

    /// <summary>The four keys of one reader, in the order the scripts expect them.</summary>
    public static RedisKey[] Reader(string userId, Guid conversationId) =>
        [Horizons(userId), UnreadSequences(userId, conversationId), Counts(userId), Total(userId)];
}
