using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using CareMessaging.Contracts;
using CareMessaging.ServiceDefaults.Telemetry;

namespace CareMessaging.Notification.Telemetry;

/// <summary>
/// The Notification service's meter and activity source (<c>CareMessaging.Notification</c>): push
/// latency, failed pushes, and the state of the unread counters (<see cref="ReadModelMetrics"/>,
/// read model <c>unread_counters</c>). See docs/operations/metrics.md.
/// </summary>
public sealed class NotificationTelemetry
{
    public const string Name = "CareMessaging.Notification";
    public const string PushLatencyInstrument = "caremessaging.push.latency";
    public const string PushFailuresInstrument = "caremessaging.push.failures";
    public const string PushSpanName = "notification push";

    /// <summary>The span of each push, a child of the consumer's span and so of the message's trace.</summary>
    public static ActivitySource Activities { get; } = new(Name);

    private readonly TimeProvider _clock;
    private readonly Histogram<double> _pushLatency;
    private readonly Counter<long> _pushFailures;
    private volatile StrongBox<bool>? _countersReady;

    public NotificationTelemetry(IMeterFactory meters, TimeProvider clock)
    {
        _clock = clock;
        var meter = meters.Create(Name);
        _pushLatency = meter.CreateDuration(PushLatencyInstrument,
            "Time from an event's occurrence to its pushes being handed to SignalR, by event type", ProductTelemetry.Buckets.EventDelay);
        _pushFailures = meter.CreateCounter<long>(PushFailuresInstrument, "{event}",
            "Events whose pushes could not be sent (clients catch up from the unread API)");
        Counters = new ReadModelMetrics(meter, "unread_counters", () => _countersReady?.Value);
    }

    public ReadModelMetrics Counters { get; }

    /// <summary>What the rebuild monitor last found: Redis holds complete counters, or not.</summary>
    public void CountersFound(bool ready) => _countersReady = new StrongBox<bool>(ready);

    /// <summary>The pushes caused by <paramref name="cause"/> were handed to SignalR.</summary>
    public void Pushed(IIntegrationEvent cause) =>
        _pushLatency.Record(Math.Max(0, (_clock.GetUtcNow() - cause.OccurredAt).TotalSeconds), EventType(cause));

    public void PushFailed(IIntegrationEvent cause) => _pushFailures.Add(1, EventType(cause));

    private static KeyValuePair<string, object?> EventType(IIntegrationEvent cause) =>
        new(ProductTelemetry.Attributes.EventType, cause.GetType().Name);
}
