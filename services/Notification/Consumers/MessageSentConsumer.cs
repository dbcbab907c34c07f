using CareMessaging.Contracts.Conversations;
using CareMessaging.Contracts.Notifications;
using CareMessaging.Notification.Counters;
using CareMessaging.Notification.Push;
using MassTransit;

namespace CareMessaging.Notification.Consumers;

/// <summary>A new message: one more unread for every reader but the sender, and a push to everyone who can read it.</summary>
public sealed class MessageSentConsumer(UnreadCounters counters, UnreadPushes pushes) : IConsumer<MessageSent>
{
    public async Task Consume(ConsumeContext<MessageSent> context)
    {
        var sent = context.Message;
        var change = await counters.ApplyAsync(sent);
        if (change.IsNewEvent)
        {
            var arrived = new MessageArrived(sent.ConversationId, sent.MessageId, sent.Sequence);
            await pushes.SendAsync(change, arrived, sent.Audience.Distinct().ToList(), context.CancellationToken);
        }
    }
}
