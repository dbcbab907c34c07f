using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace CareMessaging.Testing;

/// <summary>
/// Every conversation event of one type that reaches the broker, as a consumer of its exchange
/// receives it (a queue of its own, bound to the exchange MassTransit publishes the type to), so
/// that a test can count publications rather than their idempotent effects.
/// </summary>
public sealed class PublishedEvents : IAsyncDisposable
{
    private readonly ConcurrentQueue<(Guid ConversationId, Guid EventId)> _received = new();
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private PublishedEvents(IConnection connection, IChannel channel) => (_connection, _channel) = (connection, channel);

    /// <param name="messagingConnectionString">The broker the services publish to.</param>
    /// <param name="eventName">A type of <c>CareMessaging.Contracts.Conversations</c>, e.g. <c>MessageSent</c>.</param>
    public static async Task<PublishedEvents> ListenAsync(string messagingConnectionString, string eventName)
    {
        var factory = new ConnectionFactory { Uri = new Uri(messagingConnectionString) };
        var connection = await factory.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var events = new PublishedEvents(connection, channel);
        var queue = await channel.QueueDeclareAsync(queue: string.Empty, durable: false, exclusive: true, autoDelete: true);
        var exchange = $"CareMessaging.Contracts.Conversations:{eventName}";
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.QueueBindAsync(queue.QueueName, exchange, routingKey: string.Empty);

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var message = JsonDocument.Parse(Encoding.UTF8.GetString(delivery.Body.Span)).RootElement.GetProperty("message");
            events._received.Enqueue((message.GetProperty("conversationId").GetGuid(), message.GetProperty("eventId").GetGuid()));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer);
        return events;
    }

    /// <summary>The event ids published about <paramref name="conversationId"/> so far, once per publication.</summary>
    public IReadOnlyList<Guid> About(Guid conversationId) =>
        [.. _received.Where(e => e.ConversationId == conversationId).Select(e => e.EventId)];

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
