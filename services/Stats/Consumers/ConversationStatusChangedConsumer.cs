using CareMessaging.Contracts.Conversations;
using CareMessaging.Stats.ReadModel;
using MassTransit;

namespace CareMessaging.Stats.Consumers;

/// <summary>An archived conversation no longer counts towards Unique Patients or awaiting response; a reopened one does again.</summary>
public sealed class ConversationStatusChangedConsumer(StatsStore store) : IConsumer<ConversationStatusChanged>
{
    public Task Consume(ConsumeContext<ConversationStatusChanged> context) => store.ApplyAsync(context.Message, context.CancellationToken);
}
