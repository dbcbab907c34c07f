using MassTransit;

namespace CareMessaging.ServiceDefaults.Outages;

/// <summary>
/// A publish made inside a request (a sign-in, a sign-out) waits for the broker at most
/// <see cref="Timeouts.Publish"/>. MassTransit otherwise waits for as long as RabbitMQ is away, and
/// the request with it; after the bound the request is a 503 naming the broker. The event is not
/// dropped silently: the caller's action is refused, so the audit trail never misses it.
/// </summary>
public static class BoundedPublish
{
    public static async Task PublishWithinTimeoutAsync<T>(this IPublishEndpoint bus, T message, CancellationToken cancellationToken = default)
        where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeouts.Publish);
        try
        {
            await bus.Publish(message, deadline.Token);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DependencyUnavailableException(Dependency.MessageBroker,
                $"The broker did not take a {typeof(T).Name} within {Timeouts.Publish.TotalSeconds:0} s.", exception);
        }
    }
}
