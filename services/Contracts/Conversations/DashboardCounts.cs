namespace CareMessaging.Contracts.Conversations;

/// <summary>
/// The four dashboard figures for one caller, as both GET /api/conversations/summary (the truth,
/// computed from the Conversation service's database) and GET /api/stats (the read model) return
/// them. The definitions are in docs/decisions/0004-dashboard-figures.md; both services follow them.
/// </summary>
public sealed record DashboardCounts
{
    /// <summary>Conversations the caller can see, whatever their status.</summary>
    public required long TotalConversations { get; init; }

    /// <summary>The caller's unread messages over those conversations.</summary>
    public required long UnreadMessages { get; init; }

    /// <summary>Distinct patients with at least one visible conversation that is not archived.</summary>
    public required long UniquePatients { get; init; }

    /// <summary>Messages in the conversations the caller can see.</summary>
    public required long TotalMessages { get; init; }
}
