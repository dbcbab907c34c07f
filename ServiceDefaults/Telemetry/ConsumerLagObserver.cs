using System.Diagnostics.Metrics;
using CareMessaging.Contracts;
using MassTransit;

namespace CareMessaging.ServiceDefaults.Telemetry;

/// <summary>
/// Measures the consumer lag of every queue (<c>caremessaging.consumer.lag</c>): how long after an
/// event happened (its <see cref="IIntegrationEvent.OccurredAt"/>) a consumer finished handling it.
/// It covers the whole way, the outbox and the broker included, which MassTransit's own delivery
/// duration (from the moment of publishing) does not. Retries count towards the lag; an event whose
/// consumer fails is left to MassTransit's fault metrics. The two clocks are the publishing and
/// the consuming host's, so the figure is as good as their time synchronisation.
/// </summary>
public sealed class ConsumerLagObserver : IConsumeObserver
{
    public const string InstrumentName = "caremessaging.consumer.lag";

    private readonly Histogram<double> _lag;
    private readonly TimeProvider _clock;

    public ConsumerLagObserver(IMeterFactory meters, TimeProvider clock)
    {
        _clock = clock;
        _lag = meters.Create(ProductTelemetry.MessagingMeter).CreateDuration(
            InstrumentName, "Time from an event's occurrence to the end of its consumption, per queue", ProductTelemetry.Buckets.EventDelay);
    }

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is IIntegrationEvent happened)
        {
            var lag = (_clock.GetUtcNow() - happened.OccurredAt).TotalSeconds;
            _lag.Record(Math.Max(0, lag),
                new KeyValuePair<string, object?>(ProductTelemetry.Attributes.Queue, QueueOf(context)),
                new KeyValuePair<string, object?>(ProductTelemetry.Attributes.EventType, typeof(T).Name));
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;

    /// <summary>The queue's name: the last segment of the endpoint's address (<c>rabbitmq://host/vhost/audit-message-sent</c>).</summary>
    private static string QueueOf(ConsumeContext context) =>
        context.ReceiveContext.InputAddress is { } address && address.Segments is [.., var last]
            ? Uri.UnescapeDataString(last.Trim('/'))
            : "unknown";
}
