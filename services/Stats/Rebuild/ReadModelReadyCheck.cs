using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CareMessaging.Stats.Rebuild;

/// <summary>
/// Readiness (/health, not /alive): the figures are served only once the read model has been
/// built from the Conversation service, so nothing starts in front of this service while it would
/// answer zeros (docs/decisions/0036-not-ready-until-counters-are-built.md). The first rebuild
/// happens once in the database's life, so once this replica has seen it, it stays ready.
/// </summary>
public sealed class ReadModelReadyCheck(InitialRebuildState state) : IHealthCheck
{
    public const string Name = "stats-read-model";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsBuilt
            ? HealthCheckResult.Healthy("The stats read model is built.")
            : HealthCheckResult.Unhealthy("The stats read model is being built from the Conversation service."));
}

/// <summary>Whether this replica has seen the read model's first rebuild complete.</summary>
public sealed class InitialRebuildState
{
    private volatile bool _built;

    public bool IsBuilt => _built;

    public void MarkBuilt() => _built = true;
}
