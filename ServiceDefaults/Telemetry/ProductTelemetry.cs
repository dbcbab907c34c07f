using System.Diagnostics.Metrics;

namespace CareMessaging.ServiceDefaults.Telemetry;

/// <summary>
/// How the product names its own telemetry (docs/operations/metrics.md, ADR 0058): each service has
/// one meter and one activity source, both named after its assembly (<c>CareMessaging.Conversation</c>,
/// <c>CareMessaging.Notification</c>, ...), and ServiceDefaults registers every name under
/// <see cref="NamePrefix"/>, so a new instrument needs no registration of its own. Instruments are
/// named <c>caremessaging.&lt;thing&gt;.&lt;measure&gt;</c> in OpenTelemetry's style, durations in
/// seconds, and their attributes never carry a patient's id, name or anything they wrote.
/// </summary>
public static class ProductTelemetry
{
    public const string NamePrefix = "CareMessaging.";

    /// <summary>What ServiceDefaults passes to AddMeter and AddSource: every product meter and source.</summary>
    public const string AllNames = NamePrefix + "*";

    /// <summary>The meter of what every service shares: the consumer lag of its queues.</summary>
    public const string MessagingMeter = NamePrefix + "Messaging";

    /// <summary>Attribute names the product's instruments and spans use.</summary>
    public static class Attributes
    {
        /// <summary>The queue a consumer reads, OpenTelemetry's messaging attribute (<c>notification-message-sent</c>).</summary>
        public const string Queue = "messaging.destination.name";

        /// <summary>The integration event's type name (<c>MessageSent</c>).</summary>
        public const string EventType = "caremessaging.event.type";

        /// <summary>Who sent a message: <c>staff</c> or <c>patient</c>.</summary>
        public const string SenderKind = "caremessaging.sender.kind";

        /// <summary>A care team's id (a department such as <c>cardiology</c>; not patient data, ADR 0058).</summary>
        public const string CareTeam = "caremessaging.care_team.id";

        /// <summary>What a request or job came to, in snake case (<c>created</c>, <c>not_found</c>, <c>complete</c>).</summary>
        public const string Outcome = "caremessaging.outcome";

        /// <summary>Which read model: <c>unread_counters</c> (Notification) or <c>stats</c> (Stats).</summary>
        public const string ReadModel = "caremessaging.read_model";
    }

    /// <summary>Histogram boundaries, in seconds, for the product's durations.</summary>
    public static class Buckets
    {
        /// <summary>A request's own work: the send budget is 15 ms at the 99th percentile.</summary>
        public static readonly IReadOnlyList<double> Request =
            [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

        /// <summary>From an event to its effect: milliseconds normally, minutes while a broker or store is down.</summary>
        public static readonly IReadOnlyList<double> EventDelay =
            [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600];

        /// <summary>A rebuild or a verification: seconds to many minutes.</summary>
        public static readonly IReadOnlyList<double> Job =
            [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
    }

    /// <summary>A duration histogram in seconds with the boundaries of <paramref name="buckets"/> (one of <see cref="Buckets"/>).</summary>
    public static Histogram<double> CreateDuration(this Meter meter, string name, string description, IReadOnlyList<double> buckets) =>
        meter.CreateHistogram(name, "s", description, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = buckets });

    /// <summary>An enum value as an attribute value: <c>NotFound</c> becomes <c>not_found</c>.</summary>
    public static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : string.Empty) + char.ToLowerInvariant(c) : c.ToString()));
}
