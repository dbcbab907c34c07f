using MassTransit;

namespace CareMessaging.ServiceDefaults;

/// <summary>
/// The retry policies a consumer chooses from. A consumer has exactly one, set by its definition
/// (<see cref="CareMessagingConsumerDefinition{TConsumer}"/>); nothing else adds another, so the
/// attempts never multiply. What still fails after its retries goes to the queue's _error queue.
/// </summary>
public static class ConsumerRetry
{
    /// <summary>A brief hiccup (a deadlock, a connection being replaced): 0.2, 1, 5 and 15 s.</summary>
    public static void Brief(IRetryConfigurator retry) => retry.Intervals(200, 1_000, 5_000, 15_000);

    /// <summary>
    /// The store the consumer writes to is down (Redis or PostgreSQL restarting): about four and a half minutes,
    /// backing off to thirty seconds, so that the read model converges once it is back. The whole
    /// series stays inside RabbitMQ's delivery acknowledgement timeout.
    /// </summary>
    public static void StoreOutage(IRetryConfigurator retry) =>
        retry.Intervals(
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10),
            TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30),
            TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30),
            TimeSpan.FromSeconds(30));
}

/// <summary>
/// The definition every consumer is registered with (<c>bus.AddCareMessagingConsumer&lt;T&gt;()</c>):
/// its endpoint retries with <see cref="Retry"/>, <see cref="ConsumerRetry.Brief"/> unless a
/// subclass chooses another.
/// </summary>
public class CareMessagingConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected virtual Action<IRetryConfigurator> Retry => ConsumerRetry.Brief;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(Retry);
}

/// <summary>
/// The definition of a consumer whose store can be down for minutes (a database or Redis restarting):
/// its endpoint retries with <see cref="ConsumerRetry.StoreOutage"/>, so that what arrives during the
/// outage is applied once the store is back instead of going to the _error queue.
/// </summary>
public class StoreOutageConsumerDefinition<TConsumer> : CareMessagingConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected override Action<IRetryConfigurator> Retry => ConsumerRetry.StoreOutage;
}

/// <summary>How a service registers its consumers: explicitly, one line each, with the shared definition.</summary>
public static class ConsumerRegistration
{
    public static void AddCareMessagingConsumer<TConsumer>(this IBusRegistrationConfigurator bus)
        where TConsumer : class, IConsumer =>
        bus.AddConsumer<TConsumer, CareMessagingConsumerDefinition<TConsumer>>();

    public static void AddCareMessagingConsumer<TConsumer, TDefinition>(this IBusRegistrationConfigurator bus)
        where TConsumer : class, IConsumer
        where TDefinition : CareMessagingConsumerDefinition<TConsumer> =>
        bus.AddConsumer<TConsumer, TDefinition>();
}

/// <summary>
/// The definition of a consumer of <see cref="Batch{TMessage}"/>: up to <see cref="MessageLimit"/>
/// messages are handed over together once that many have arrived or <see cref="TimeLimit"/> has
/// passed since the first, so a busy queue is applied in one transaction or one round of pipelined
/// commands rather than one per message, while a quiet one waits only a few milliseconds. Retries
/// are those of <see cref="CareMessagingConsumerDefinition{TConsumer}"/>, applied to the batch.
/// </summary>
public class CareMessagingBatchConsumerDefinition<TConsumer> : CareMessagingConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected virtual int MessageLimit => 100;

    protected virtual TimeSpan TimeLimit => TimeSpan.FromMilliseconds(10);

    /// <summary>Batches applied at once; one keeps a consumer's pushes and upserts in the order they were taken.</summary>
    protected virtual int ConcurrencyLimit => 1;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        base.ConfigureConsumer(endpointConfigurator, consumerConfigurator, context);
        // The broker must hand over a whole batch (and the next one filling meanwhile) before any is acknowledged.
        var inFlight = MessageLimit * (ConcurrencyLimit + 1);
        endpointConfigurator.ConcurrentMessageLimit = inFlight;
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = inFlight;
        }

        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(MessageLimit)
            .SetTimeLimit(TimeLimit)
            .SetConcurrencyLimit(ConcurrencyLimit));
    }
}
