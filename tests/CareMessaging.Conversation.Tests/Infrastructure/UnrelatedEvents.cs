using CareMessaging.Contracts.Conversations;

namespace CareMessaging.Conversation.Tests.Infrastructure;

/// <summary>Events about no real conversation, for outbox tests: published or pruned, they touch no other test's counts.</summary>
public static class UnrelatedEvents
{
    public static ConversationRead Read(DateTimeOffset occurredAt, string test) => new ConversationRead(new ConversationEventHeader(Guid.CreateVersion7(), occurredAt, $"{test}-{Guid.NewGuid():N}", "nurse", Guid.NewGuid(), $"P-{test}", $"team-{test}"))
    {
        ReadUpToSequence = 1,
    };
}
