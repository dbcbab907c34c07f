namespace CareMessaging.Contracts.Notifications;

/// <summary>
/// What the Notification service's SignalR hub (<see cref="HubPath"/>) sends to a signed-in user.
/// Ids and counts only: a push never carries a patient's name, a topic or message text.
/// </summary>
public static class NotificationPushes
{
    public const string HubPath = "/hubs/notifications";

    /// <summary>Hub method for <see cref="UnreadChanged"/>.</summary>
    public const string UnreadChangedMethod = "unreadChanged";

    /// <summary>Hub method for <see cref="MessageArrived"/>.</summary>
    public const string MessageArrivedMethod = "messageArrived";

    /// <summary>Hub method, without arguments, sent to everyone when rebuilt counters are complete: read your counts again.</summary>
    public const string CountersRebuiltMethod = "countersRebuilt";
}

/// <summary>The user's unread counts changed: their new total and the count of the conversation that changed.</summary>
public sealed record UnreadChanged(long Total, Guid ConversationId, long ConversationUnread);

/// <summary>A new message is in a conversation the user can read.</summary>
public sealed record MessageArrived(Guid ConversationId, Guid MessageId, long Sequence);

/// <summary>GET /api/notifications/unread: the caller's total and every conversation with unread messages.</summary>
public sealed record UnreadSummary(long Total, IReadOnlyList<ConversationUnread> Conversations);

public sealed record ConversationUnread(Guid ConversationId, long Unread);

/// <summary>POST /api/notifications/rebuild: conversations read, readers whose counters were merged, and whether the counters are now complete.</summary>
public sealed record CountersRebuildResult(long Conversations, int Readers, bool Complete);
