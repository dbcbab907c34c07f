namespace CareMessaging.Contracts;

/// <summary>
/// Names of the resources in the distributed application. The AppHost declares them,
/// services resolve connection strings and service-discovery addresses by them, and
/// tests look resources up by them, so a rename happens in one place.
/// </summary>
public static class ResourceNames
{
    public const string Postgres = "postgres";
    public const string ConversationDb = "conversationdb";
    public const string AuditDb = "auditdb";
    public const string StatsDb = "statsdb";
    public const string IdentityDb = "identitydb";
    public const string Redis = "redis";

    /// <summary>The gateway's session store: a Redis of its own, persistent, apart from the cache in <see cref="Redis"/> (ADR 0027).</summary>
    public const string Sessions = "sessions";
    public const string Messaging = "messaging";

    public const string Conversation = "conversation";
    public const string Notification = "notification";
    public const string Audit = "audit";
    public const string Stats = "stats";
    public const string Identity = "identity";
    public const string Gateway = "gateway";
    public const string Web = "web";

    /// <summary>Every project resource, in the order the AppHost declares them.</summary>
    public static readonly IReadOnlyList<string> Projects =
        [Identity, Conversation, Notification, Audit, Stats, Web, Gateway];

    /// <summary>Every infrastructure resource that holds state.</summary>
    public static readonly IReadOnlyList<string> Infrastructure = [Postgres, Redis, Sessions, Messaging];
}
