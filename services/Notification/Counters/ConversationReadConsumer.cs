using CareMessaging.Contracts.Conversations;
using CareMessaging.Notification.Push;
using MassTransit;

namespace CareMessaging.Notification.Counters;

/// <summary>A reader moved their horizon: their unread messages up to it are cleared, and their other devices are told.</summary>
public sealed class ConversationReadConsumer(UnreadCounters counters, UnreadPushes pushes) : IConsumer<ConversationRead>
{
    public async Task Consume(ConsumeContext<ConversationRead> context)
    {
        var change = await counters.ApplyAsync(context.Message);
        if (change.IsNewEvent)
        {
            await pushes.SendAsync(change, arrived: null, audience: [], context.CancellationToken);
        }
    }
}

/// <summary>Same Redis-outage retry as <see cref="MessageSentConsumerDefinition"/>.</summary>
public sealed class ConversationReadConsumerDefinition : ConsumerDefinition<ConversationReadConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ConversationReadConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        consumerConfigurator.UseMessageRetry(RedisOutageRetry.Configure);
}

/// <summary>About four and a half minutes of retries, backing off to thirty seconds.</summary>
internal static class RedisOutageRetry
{
    public static void Configure(IRetryConfigurator retry) =>
        retry.Intervals(
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10),
            TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30),
            TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30),
            TimeSpan.FromSeconds(30));
}
