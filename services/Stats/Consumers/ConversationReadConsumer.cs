using CareMessaging.Contracts.Conversations;
using CareMessaging.Stats.ReadModel;
using MassTransit;

namespace CareMessaging.Stats.Consumers;

/// <summary>A reader's horizon moved: their unread messages up to it no longer count.</summary>
public sealed class ConversationReadConsumer(StatsStore store) : IConsumer<ConversationRead>
{
    public Task Consume(ConsumeContext<ConversationRead> context) => store.ApplyAsync(context.Message, context.CancellationToken);
}
