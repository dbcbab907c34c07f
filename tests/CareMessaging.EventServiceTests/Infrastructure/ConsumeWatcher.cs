using System.Collections.Concurrent;
using CareMessaging.Contracts;
using MassTransit;

namespace CareMessaging.EventServiceTests.Infrastructure;

/// <summary>
/// Watches one hosted service's bus and counts, per event id, how often a consumer finished with
/// the event, so a test can wait until a redelivery was really consumed before asserting that it
/// changed nothing, and from which queues, so a test can pin the queue names other deployments rely on.
/// </summary>
public sealed class ConsumeWatcher : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _consumed = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, bool>> _queues = new();

    public static ConsumeWatcher Attach(IServiceProvider services)
    {
        var watcher = new ConsumeWatcher();
        ((IConsumeObserverConnector)services.GetService(typeof(IBus))!).ConnectConsumeObserver(watcher);
        return watcher;
    }

    public int Count(Guid eventId) => _consumed.GetValueOrDefault(eventId);

    /// <summary>The queues the event was consumed from, in name order.</summary>
    public IReadOnlyList<string> QueuesOf(Guid eventId) =>
        _queues.TryGetValue(eventId, out var queues) ? [.. queues.Keys.Order(StringComparer.Ordinal)] : [];

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
            if (context.ReceiveContext.InputAddress is { } queue)
            {
                _queues.GetOrAdd(integrationEvent.EventId, _ => new())[queue.Segments[^1]] = true;
            }

            _consumed.AddOrUpdate(integrationEvent.EventId, 1, (_, count) => count + 1);
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
