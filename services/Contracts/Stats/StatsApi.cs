namespace CareMessaging.Contracts.Stats;

// The Stats service's HTTP API (/api/stats): what it answers. The service, the web front end and
// the tests use these records.

/// <summary>GET /api/stats: the four figures with the names of <see cref="Conversations.DashboardCounts"/>, and per care team how quickly it answers.</summary>
public sealed record StatsResponse(
    long TotalConversations,
    long UnreadMessages,
    long UniquePatients,
    long TotalMessages,
    IReadOnlyList<TeamResponsiveness> Teams);

/// <summary>How quickly one care team answers its patients.</summary>
public sealed record TeamResponsiveness(
    string CareTeamId,
    double? MedianFirstResponseSeconds,
    int RespondedConversations,
    int AwaitingResponse,
    AwaitingConversation? OldestAwaiting);

/// <summary>A conversation whose latest message is from the patient, and since when the patient has been waiting.</summary>
public sealed record AwaitingConversation(Guid ConversationId, DateTimeOffset WaitingSince);

/// <summary>POST /api/stats/rebuild: what the rebuild read from the Conversation service.</summary>
public sealed record StatsRebuildResult(long Conversations, DateTimeOffset StartedAt, DateTimeOffset CompletedAt);
