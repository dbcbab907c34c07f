using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CareMessaging.ServiceDefaults.Telemetry;

/// <summary>
/// The instruments of a read model rebuilt from the Conversation service's export (Notification's
/// unread counters, Stats' figures), on the service's own meter and told apart by
/// <see cref="ProductTelemetry.Attributes.ReadModel"/>: whether it is ready
/// (<c>caremessaging.read_model.ready</c>, 1, or 0 while it is rebuilt and the service is not
/// ready), how long rebuilds take (<c>caremessaging.read_model.rebuild.duration</c>, by outcome)
/// and how long the last complete one took (<c>caremessaging.read_model.rebuild.last_duration</c>).
/// Readiness is what the service last found, never a query made for the collector.
/// </summary>
public sealed class ReadModelMetrics
{
    public const string ReadyInstrument = "caremessaging.read_model.ready";
    public const string RebuildDurationInstrument = "caremessaging.read_model.rebuild.duration";
    public const string LastRebuildDurationInstrument = "caremessaging.read_model.rebuild.last_duration";

    private readonly KeyValuePair<string, object?> _readModel;
    private readonly Func<bool?> _ready;
    private readonly Histogram<double> _rebuildDuration;
    private double _lastRebuildSeconds = double.NaN;

    /// <param name="ready">Whether the read model is complete now; null while the service does not know yet.</param>
    public ReadModelMetrics(Meter meter, string readModel, Func<bool?> ready)
    {
        _readModel = new(ProductTelemetry.Attributes.ReadModel, readModel);
        _ready = ready;
        meter.CreateObservableGauge(ReadyInstrument, ObserveReady, "1",
            "1 while the read model is complete and served, 0 while it is being rebuilt");
        meter.CreateObservableGauge(LastRebuildDurationInstrument, ObserveLastRebuild, "s",
            "How long the last complete rebuild of the read model took");
        _rebuildDuration = meter.CreateDuration(RebuildDurationInstrument,
            "How long rebuilds of the read model take, by outcome (complete, incomplete, failed)", ProductTelemetry.Buckets.Job);
    }

    /// <summary>Times one rebuild; <see cref="Rebuild.Completed"/> or <see cref="Rebuild.Dispose"/> records it.</summary>
    public Rebuild StartRebuild() => new(this);

    private void Record(TimeSpan duration, string outcome)
    {
        _rebuildDuration.Record(duration.TotalSeconds, _readModel, new(ProductTelemetry.Attributes.Outcome, outcome));
        if (outcome == Rebuild.Complete)
        {
            Volatile.Write(ref _lastRebuildSeconds, duration.TotalSeconds);
        }
    }

    private IEnumerable<Measurement<int>> ObserveReady() =>
        _ready() is { } ready ? [new(ready ? 1 : 0, _readModel)] : [];

    private IEnumerable<Measurement<double>> ObserveLastRebuild() =>
        Volatile.Read(ref _lastRebuildSeconds) is var seconds && !double.IsNaN(seconds) ? [new(seconds, _readModel)] : [];

    /// <summary>One rebuild being timed. Disposed without <see cref="Completed"/>, it counts as failed.</summary>
    public sealed class Rebuild : IDisposable
    {
        public const string Complete = "complete";
        public const string Incomplete = "incomplete";
        public const string Failed = "failed";

        private readonly ReadModelMetrics _metrics;
        private readonly long _started = Stopwatch.GetTimestamp();
        private bool _recorded;

        internal Rebuild(ReadModelMetrics metrics) => _metrics = metrics;

        /// <summary>The rebuild ran to its end; <paramref name="complete"/> is false when another one overtook it.</summary>
        public void Completed(bool complete = true) => Finish(complete ? Complete : Incomplete);

        public void Dispose() => Finish(Failed);

        private void Finish(string outcome)
        {
            if (!_recorded)
            {
                _recorded = true;
                _metrics.Record(Stopwatch.GetElapsedTime(_started), outcome);
            }
        }
    }
}
