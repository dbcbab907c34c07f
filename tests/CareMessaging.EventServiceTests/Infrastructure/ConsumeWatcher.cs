using System.Collections.Concurrent;
using CareMessaging.Contracts;
using MassTransit;

namespace CareMessaging.EventServiceTests.Infrastructure;

/// <summary>
/// Watches one hosted service's bus and counts, per event id, how often a consumer finished with
/// the event, so a test can wait until a redelivery was really consumed before asserting that it
/// changed nothing.
/// </summary>
public sealed class ConsumeWatcher : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _consumed = new();

    public static ConsumeWatcher Attach(IServiceProvider services)
    {
        var watcher = new ConsumeWatcher();
        ((IConsumeObserverConnector)services.GetService(typeof(IBus))!).ConnectConsumeObserver(watcher);
        return watcher;
    }

    public int Count(Guid eventId) => _consumed.GetValueOrDefault(eventId);

    /// <summary>Waits until the event was consumed at least <paramref name="times"/> times; false if that did not happen in time.</summary>
    public async Task<bool> WaitForAsync(Guid eventId, int times = 1)
    {
        var count = await Eventually.Until(() => Task.FromResult(Count(eventId)), c => c >= times);
        return count >= times;
    }

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is IIntegrationEvent integrationEvent)
        {
            _consumed.AddOrUpdate(integrationEvent.EventId, 1, (_, count) => count + 1);
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
