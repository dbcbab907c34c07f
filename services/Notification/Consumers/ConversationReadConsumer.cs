using CareMessaging.Contracts.Conversations;
using CareMessaging.Notification.Counters;
using CareMessaging.Notification.Push;
using MassTransit;

namespace CareMessaging.Notification.Consumers;

/// <summary>A reader moved their horizon: their unread messages up to it are cleared, and their other devices are told.</summary>
public sealed class ConversationReadConsumer(UnreadCounters counters, UnreadPushes pushes) : IConsumer<ConversationRead>
{
    public async Task Consume(ConsumeContext<ConversationRead> context)
    {
        var change = await counters.ApplyAsync(context.Message);
        if (change.IsNewEvent)
        {
            await pushes.SendAsync(change, arrived: null, audience: [], context.Message, context.CancellationToken);
        }
    }
}
