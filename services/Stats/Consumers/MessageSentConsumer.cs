using CareMessaging.Contracts.Conversations;
using CareMessaging.Stats.ReadModel;
using MassTransit;

namespace CareMessaging.Stats.Consumers;

/// <summary>A message counts towards Total Messages, towards every other reader's unread, and towards response times.</summary>
public sealed class MessageSentConsumer(StatsStore store) : IConsumer<MessageSent>
{
    public Task Consume(ConsumeContext<MessageSent> context) => store.ApplyAsync(context.Message, context.CancellationToken);
}
