using System.Diagnostics;
using System.Diagnostics.Metrics;
using CareMessaging.Audit.Trail;
using CareMessaging.ServiceDefaults.Telemetry;

namespace CareMessaging.Audit.Telemetry;

/// <summary>
/// The Audit service's meter (<c>CareMessaging.Audit</c>): records appended to the trail, and the
/// result, time and duration of the last verification of its hash chain on this replica (an API
/// call or a dashboard command). See docs/operations/metrics.md.
/// </summary>
public sealed class AuditTelemetry
{
    public const string MeterName = "CareMessaging.Audit";
    public const string AppendsInstrument = "caremessaging.audit.appends";
    public const string ChainValidInstrument = "caremessaging.audit.chain.valid";
    public const string VerificationAgeInstrument = "caremessaging.audit.chain.verification.age";
    public const string VerificationDurationInstrument = "caremessaging.audit.chain.verification.duration";

    private readonly TimeProvider _clock;
    private readonly Counter<long> _appends;
    private readonly Histogram<double> _verificationDuration;
    private volatile LastVerification? _last;

    public AuditTelemetry(IMeterFactory meters, TimeProvider clock)
    {
        _clock = clock;
        var meter = meters.Create(MeterName);
        _appends = meter.CreateCounter<long>(AppendsInstrument, "{record}",
            "Records offered to the trail, by action and outcome (appended, or duplicate when the event was already recorded)");
        _verificationDuration = meter.CreateDuration(VerificationDurationInstrument,
            "How long a verification of the whole chain takes", ProductTelemetry.Buckets.Job);
        meter.CreateObservableGauge(ChainValidInstrument, ObserveValid, "1",
            "1 when the last verification found the chain intact, 0 when it found a break; absent before the first");
        meter.CreateObservableGauge(VerificationAgeInstrument, ObserveAge, "s",
            "Time since the last verification of the chain; absent before the first");
    }

    public void Appended(string action, bool appended) =>
        _appends.Add(1,
            new KeyValuePair<string, object?>("caremessaging.audit.action", action),
            new KeyValuePair<string, object?>(ProductTelemetry.Attributes.Outcome, appended ? "appended" : "duplicate"));

    /// <summary>A verification begun at <paramref name="startedAt"/> (a <see cref="Stopwatch"/> timestamp) found <paramref name="result"/>.</summary>
    public void Verified(long startedAt, ChainVerification result)
    {
        _verificationDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds,
            new KeyValuePair<string, object?>(ProductTelemetry.Attributes.Outcome, result.Valid ? "intact" : "broken"));
        _last = new LastVerification(result.Valid, _clock.GetUtcNow());
    }

    private IEnumerable<Measurement<int>> ObserveValid() => _last is { } last ? [new(last.Valid ? 1 : 0)] : [];

    private IEnumerable<Measurement<double>> ObserveAge() =>
        _last is { } last ? [new(Math.Max(0, (_clock.GetUtcNow() - last.At).TotalSeconds))] : [];

    private sealed record LastVerification(bool Valid, DateTimeOffset At);
}
