using System.Collections.Concurrent;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Testing;
using MassTransit;

namespace CareMessaging.Conversation.Tests.Infrastructure;

/// <summary>
/// A real MassTransit bus on the test's RabbitMQ that records every Conversation event, the way
/// the Notification, Stats and Audit services receive them.
/// </summary>
public sealed class EventRecorder : IAsyncDisposable
{
    private readonly ConcurrentQueue<(IIntegrationEvent Event, Guid? MessageId, IReadOnlyList<string> Headers)> _received = new();
    private IBusControl? _bus;

    public async Task StartAsync(string amqpConnectionString)
    {
        _bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(amqpConnectionString));
            // A durable queue that outlives a broker restart; the broker's state folder is new for
            // each run, so nothing from an earlier run is in it. (PurgeOnStartup would also purge
            // on every reconnect, dropping what arrived during an outage.)
            rabbit.ReceiveEndpoint("conversation-tests-recorder", endpoint =>
            {
                Record<ConversationStarted>(endpoint);
                Record<MessageSent>(endpoint);
                Record<ConversationRead>(endpoint);
                Record<ConversationStatusChanged>(endpoint);
                Record<ConversationAccessed>(endpoint);
                Record<PatientProfileAccessed>(endpoint);
                Record<ConversationsListed>(endpoint);
                Record<PatientsListed>(endpoint);
            });
        });
        using var cancellation = new CancellationTokenSource(TestTimeouts.ResourceStart);
        await _bus.StartAsync(cancellation.Token);
    }

    public IReadOnlyList<T> All<T>() where T : IIntegrationEvent => [.. _received.Select(r => r.Event).OfType<T>()];

    /// <summary>The broker's message id of each delivery of <typeparamref name="T"/> (redeliveries included).</summary>
    public IReadOnlyList<Guid?> MessageIds<T>() where T : IIntegrationEvent => [.. _received.Where(r => r.Event is T).Select(r => r.MessageId)];

    /// <summary>The transport headers (name=value) each delivery of a matching event carried.</summary>
    public IReadOnlyList<IReadOnlyList<string>> HeadersOf<T>(Func<T, bool> match) where T : IIntegrationEvent =>
        [.. _received.Where(r => r.Event is T matched && match(matched)).Select(r => r.Headers)];

    /// <summary>Waits until events matching <paramref name="match"/> number at least <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<T>> WaitForAsync<T>(Func<T, bool> match, int count = 1, TimeSpan? timeout = null) where T : IIntegrationEvent
    {
        var deadline = DateTime.UtcNow + (timeout ?? TestTimeouts.EventDelivery);
        while (true)
        {
            var found = All<T>().Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {count} {typeof(T).Name} events, received {found.Count}.");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_bus is not null)
        {
            using var cancellation = new CancellationTokenSource(TestTimeouts.Request);
            await _bus.StopAsync(cancellation.Token);
        }
    }

    private void Record<T>(IReceiveEndpointConfigurator endpoint) where T : class, IIntegrationEvent =>
        endpoint.Handler<T>(context =>
        {
            _received.Enqueue((context.Message, context.MessageId, [.. context.Headers.GetAll().Select(header => $"{header.Key}={header.Value}")]));
            return Task.CompletedTask;
        });
}
