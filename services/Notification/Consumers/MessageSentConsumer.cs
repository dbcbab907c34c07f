using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Contracts.Notifications;
using CareMessaging.Notification.Counters;
using CareMessaging.Notification.Push;
using CareMessaging.ServiceDefaults;
using MassTransit;

namespace CareMessaging.Notification.Consumers;

/// <summary>
/// New messages: one more unread for every reader but the sender, and a push to everyone who can
/// read them. A batch runs its counter scripts pipelined (all sent before any answer is awaited),
/// then pushes each new message's arrival and, per reader and conversation, only the latest of
/// the batch's unread changes: within a batch of new messages counts only grow, so the largest
/// count is the one still true, and every push to a reader carries the reader's largest total.
/// </summary>
public sealed class MessageSentConsumer(UnreadCounters counters, UnreadPushes pushes) : IConsumer<Batch<MessageSent>>
{
    public async Task Consume(ConsumeContext<Batch<MessageSent>> context)
    {
        var messages = context.Message.Select(item => item.Message).DistinctBy(sent => sent.EventId).ToList();
        var changes = await Task.WhenAll(messages.Select(counters.ApplyAsync));

        var latest = changes.SelectMany(change => change.Changes)
            .GroupBy(reader => reader.UserId)
            .SelectMany(byReader =>
            {
                var total = byReader.Max(reader => reader.Push.Total);
                return byReader.GroupBy(reader => reader.Push.ConversationId)
                    .Select(byConversation => byConversation.MaxBy(reader => reader.Push.ConversationUnread)!)
                    .Select(reader => reader with { Push = reader.Push with { Total = total } });
            })
            .ToList();
        var arrivals = messages.Zip(changes)
            .Where(pair => pair.Second.IsNewEvent)
            .Select(pair => (new MessageArrived(pair.First.ConversationId, pair.First.MessageId, pair.First.Sequence), (IReadOnlyList<string>)pair.First.Audience.Distinct().ToList()))
            .ToList();
        var pushed = messages.Zip(changes).Where(pair => pair.Second.IsNewEvent).Select(pair => (IIntegrationEvent)pair.First).ToList();
        await pushes.SendAsync(arrivals, latest, pushed, context.CancellationToken);
    }
}

/// <summary>
/// While Redis is down the counters cannot move: keep retrying for minutes rather than seconds, so
/// the counters converge once it is back. A busy queue is applied a batch at a time.
/// </summary>
public sealed class MessageSentConsumerDefinition : CareMessagingBatchConsumerDefinition<MessageSentConsumer>
{
    protected override Action<IRetryConfigurator> Retry => ConsumerRetry.StoreOutage;
}
