using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using CareMessaging.Contracts;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace CareMessaging.EndToEndTests.Identity;

/// <summary>
/// Listens on the real broker to the identity events (the exchanges MassTransit publishes them
/// to), as the audit trail would, so tests can check what was published and what was not.
/// </summary>
internal sealed class IdentityEventProbe : IAsyncDisposable
{
    private static readonly string[] EventNames =
    [
        "SignInSucceeded", "SignInFailed", "AccountLockedOut", "SignInThrottled", "SignInStormDetected", "MfaEnrolled",
        "SignedOut", "SessionRevoked", "SessionEnded", "EnrolmentCodeIssued", "EnrolmentCodeUsed", "EnrolmentCodeRefused", "AuthenticatorReset",
    ];

    private readonly ConcurrentQueue<(string Type, string Raw)> _received = new();
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private IdentityEventProbe(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public IEnumerable<string> RawMessages => _received.Select(m => m.Raw);

    public static async Task<IdentityEventProbe> StartAsync(CareMessagingStack stack)
    {
        var factory = new ConnectionFactory { Uri = new Uri(await stack.GetConnectionStringAsync(ResourceNames.Messaging)) };
        var connection = await factory.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var probe = new IdentityEventProbe(connection, channel);
        var queue = await channel.QueueDeclareAsync(queue: string.Empty, durable: false, exclusive: true, autoDelete: true);
        foreach (var name in EventNames)
        {
            var exchange = $"CareMessaging.Contracts.Identity:{name}";
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueBindAsync(queue.QueueName, exchange, routingKey: string.Empty);
        }

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var raw = Encoding.UTF8.GetString(delivery.Body.Span);
            probe._received.Enqueue((delivery.Exchange.Split(':')[^1], raw));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return probe;
    }

    /// <summary>The first event of <paramref name="type"/> about <paramref name="userId"/>; polls until it arrives.</summary>
    public async Task<JsonElement> WaitForAsync(string type, string userId)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.EventDelivery;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var (eventType, raw) in _received)
            {
                if (eventType != type)
                {
                    continue;
                }

                var message = JsonDocument.Parse(raw).RootElement.GetProperty("message");
                if (message.TryGetProperty("userId", out var id) && id.GetString() == userId)
                {
                    return message.Clone();
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No {type} event for user {userId} arrived within {TestTimeouts.EventDelivery}.");
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }
}
