using CareMessaging.Contracts.Conversations;
using CareMessaging.ServiceDefaults;
using CareMessaging.Stats.ReadModel;
using MassTransit;

namespace CareMessaging.Stats.Consumers;

/// <summary>
/// Messages count towards Total Messages, towards every other reader's unread, and towards
/// response times. They arrive in batches and each batch is applied in one transaction.
/// </summary>
public sealed class MessageSentConsumer(StatsStore store) : IConsumer<Batch<MessageSent>>
{
    public Task Consume(ConsumeContext<Batch<MessageSent>> context) =>
        store.ApplyAsync(context.Message.Select(item => item.Message).ToList(), context.CancellationToken);
}

/// <summary>A busy queue of messages is applied a batch per transaction.</summary>
public sealed class MessageSentConsumerDefinition : CareMessagingBatchConsumerDefinition<MessageSentConsumer>
{
    // What arrives while statsdb is down is applied once it is back, never dropped to _error.
    protected override Action<IRetryConfigurator> Retry => ConsumerRetry.StoreOutage;
}
