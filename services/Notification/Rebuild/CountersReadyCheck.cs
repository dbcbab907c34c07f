using CareMessaging.Notification.Counters;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace CareMessaging.Notification.Rebuild;

/// <summary>
/// Readiness (/health, not /alive): the service is ready only while Redis holds complete counters
/// (the <see cref="UnreadKeys.Ready"/> marker), so nothing starts in front of it, and no load
/// balancer sends it users, while it could only answer counts it does not have
/// (docs/decisions/0036-not-ready-until-counters-are-built.md).
/// </summary>
public sealed class CountersReadyCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public const string Name = "unread-counters";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await redis.GetDatabase().KeyExistsAsync(UnreadKeys.Ready)
                ? HealthCheckResult.Healthy("Unread counters are built.")
                : HealthCheckResult.Unhealthy("Unread counts are being rebuilt from the Conversation service.");
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException)
        {
            return HealthCheckResult.Unhealthy("The counter store cannot be reached.");
        }
    }
}
