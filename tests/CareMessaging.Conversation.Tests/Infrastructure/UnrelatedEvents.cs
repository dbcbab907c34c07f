using CareMessaging.Contracts.Conversations;

namespace CareMessaging.Conversation.Tests.Infrastructure;

/// <summary>Events about no real conversation, for outbox tests: published or pruned, they touch no other test's counts.</summary>
public static class UnrelatedEvents
{
    public static ConversationRead Read(DateTimeOffset occurredAt, string test) => new()
    {
        EventId = Guid.CreateVersion7(),
        OccurredAt = occurredAt,
        ActorId = $"{test}-{Guid.NewGuid():N}",
        ActorRole = "nurse",
        ConversationId = Guid.NewGuid(),
        PatientId = $"P-{test}",
        CareTeamId = $"team-{test}",
        ReadUpToSequence = 1,
    };
}
