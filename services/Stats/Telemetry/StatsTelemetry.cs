using System.Diagnostics.Metrics;
using CareMessaging.ServiceDefaults.Telemetry;
using CareMessaging.Stats.Rebuild;

namespace CareMessaging.Stats.Telemetry;

/// <summary>
/// The Stats service's meter (<c>CareMessaging.Stats</c>): the state of its read model
/// (<see cref="ReadModelMetrics"/>, read model <c>stats</c>). See docs/operations/metrics.md.
/// </summary>
public sealed class StatsTelemetry(IMeterFactory meters, InitialRebuildState state)
{
    public const string MeterName = "CareMessaging.Stats";

    public ReadModelMetrics ReadModel { get; } = new(meters.Create(MeterName), "stats", () => state.IsBuilt);
}
