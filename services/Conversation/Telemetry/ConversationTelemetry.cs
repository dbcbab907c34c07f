using System.Diagnostics;
using System.Diagnostics.Metrics;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Conversations;
using CareMessaging.ServiceDefaults.Telemetry;

namespace CareMessaging.Conversation.Telemetry;

/// <summary>
/// The Conversation service's meter (<c>CareMessaging.Conversation</c>): messages sent, how long a
/// send takes, and the outbox backlog that <see cref="OutboxBacklogMonitor"/> reads
/// (docs/operations/metrics.md).
/// </summary>
public sealed class ConversationTelemetry
{
    public const string MeterName = "CareMessaging.Conversation";
    public const string MessagesSentInstrument = "caremessaging.messages.sent";
    public const string SendDurationInstrument = "caremessaging.message.send.duration";
    public const string OutboxBacklogInstrument = "caremessaging.outbox.backlog";
    public const string OutboxOldestAgeInstrument = "caremessaging.outbox.oldest_unsent.age";

    private readonly TimeProvider _clock;
    private readonly Counter<long> _messagesSent;
    private readonly Histogram<double> _sendDuration;
    private volatile OutboxBacklog? _backlog;

    public ConversationTelemetry(IMeterFactory meters, TimeProvider clock)
    {
        _clock = clock;
        var meter = meters.Create(MeterName);
        _messagesSent = meter.CreateCounter<long>(MessagesSentInstrument, "{message}",
            "Messages stored, a conversation's first included, by sender kind and care team");
        _sendDuration = meter.CreateDuration(SendDurationInstrument,
            "How long the service takes to store a message and its event (a send, or the start of a conversation), by outcome", ProductTelemetry.Buckets.Request);
        meter.CreateObservableGauge(OutboxBacklogInstrument, ObserveBacklog, "{event}",
            "Events committed to the outbox and not yet published to the broker");
        meter.CreateObservableGauge(OutboxOldestAgeInstrument, ObserveOldestAge, "s",
            "How long the oldest unpublished event has waited in the outbox; 0 when none waits");
    }

    /// <summary>A message was committed.</summary>
    public void MessageSent(SenderKind sender, string careTeamId) =>
        _messagesSent.Add(1,
            new KeyValuePair<string, object?>(ProductTelemetry.Attributes.SenderKind, ProductTelemetry.SnakeCase(sender.ToString())),
            new KeyValuePair<string, object?>(ProductTelemetry.Attributes.CareTeam, careTeamId));

    /// <summary>A send or start begun at <paramref name="startedAt"/> (a <see cref="Stopwatch"/> timestamp) ended with <paramref name="outcome"/>; null when it threw.</summary>
    public void SendEnded<T>(long startedAt, Outcome<T>? outcome) =>
        _sendDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds,
            new KeyValuePair<string, object?>(ProductTelemetry.Attributes.Outcome, OutcomeName(outcome)));

    /// <summary>What the last look at the outbox found.</summary>
    public void OutboxBacklogRead(long unsent, DateTimeOffset? oldestCreatedAt) => _backlog = new OutboxBacklog(unsent, oldestCreatedAt);

    /// <summary>The outbox could not be read: report nothing rather than a stale figure.</summary>
    public void OutboxBacklogUnknown() => _backlog = null;

    private static string OutcomeName<T>(Outcome<T>? outcome) => outcome switch
    {
        null => "error",
        Outcome<T>.Done done => ProductTelemetry.SnakeCase(done.Effect.ToString()),
        _ => ProductTelemetry.SnakeCase(outcome.GetType().Name),
    };

    private IEnumerable<Measurement<long>> ObserveBacklog() => _backlog is { } backlog ? [new(backlog.Unsent)] : [];

    private IEnumerable<Measurement<double>> ObserveOldestAge() =>
        _backlog is { } backlog
            ? [new(backlog.OldestCreatedAt is { } oldest ? Math.Max(0, (_clock.GetUtcNow() - oldest).TotalSeconds) : 0)]
            : [];

    private sealed record OutboxBacklog(long Unsent, DateTimeOffset? OldestCreatedAt);
}
