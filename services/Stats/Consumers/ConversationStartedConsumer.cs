using CareMessaging.Contracts.Conversations;
using CareMessaging.Stats.ReadModel;
using MassTransit;

namespace CareMessaging.Stats.Consumers;

/// <summary>A new conversation counts towards Total Conversations and, while not archived, Unique Patients.</summary>
public sealed class ConversationStartedConsumer(StatsStore store) : IConsumer<ConversationStarted>
{
    public Task Consume(ConsumeContext<ConversationStarted> context) => store.ApplyAsync(context.Message, context.CancellationToken);
}
