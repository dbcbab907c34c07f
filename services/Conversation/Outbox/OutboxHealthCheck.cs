using CareMessaging.Conversation.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CareMessaging.Conversation.Outbox;

/// <summary>
/// Part of /health: unhealthy while the oldest unsent event is older than
/// <see cref="OutboxOptions.MaxUnsentAge"/>, degraded while the backlog is above
/// <see cref="OutboxOptions.BacklogThreshold"/> and has grown over the last
/// <see cref="OutboxOptions.BacklogGrowthWindow"/>, healthy again once it drains. Each probe
/// reads the backlog on the outbox's own connections and remembers it for the growth comparison.
/// </summary>
public sealed class OutboxHealthCheck(OutboxConnections connections, OutboxBacklogHistory history, IOptions<OutboxOptions> options, TimeProvider clock) : IHealthCheck
{
    public const string Name = "outbox";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        await using var command = connections.DataSource.CreateCommand("SELECT count(*), min(created_at) FROM outbox_messages WHERE sent_at IS NULL");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var backlog = reader.GetInt64(0);
        var oldest = reader.IsDBNull(1) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(1);

        var now = clock.StoredUtcNow();
        var earlier = history.Record(now, backlog, settings.BacklogGrowthWindow);
        var data = new Dictionary<string, object> { ["unsentEvents"] = backlog };
        if (oldest is { } since && now - since > settings.MaxUnsentAge)
        {
            data["oldestUnsentAgeSeconds"] = (long)(now - since).TotalSeconds;
            return HealthCheckResult.Unhealthy(
                $"The oldest of {backlog} unsent events was written {(now - since).TotalSeconds:0} s ago (limit {settings.MaxUnsentAge.TotalSeconds:0} s): " +
                "events are not reaching the broker. Check RabbitMQ and this service's 'outbox dispatch' log.", data: data);
        }

        if (backlog > settings.BacklogThreshold && earlier is { } before && backlog > before)
        {
            return HealthCheckResult.Degraded(
                $"{backlog} events are waiting to be published, {backlog - before} more than {settings.BacklogGrowthWindow.TotalSeconds:0} s ago: " +
                "they are written faster than the dispatcher publishes them.", data: data);
        }

        return HealthCheckResult.Healthy($"{backlog} events waiting to be published.", data);
    }
}

/// <summary>The backlog sizes the outbox health probes have seen, to tell a growing backlog from one that drains.</summary>
public sealed class OutboxBacklogHistory
{
    private readonly List<(DateTimeOffset At, long Backlog)> _samples = [];

    /// <summary>Remembers this sample; returns the backlog of the newest earlier sample at least <paramref name="window"/> old, if any.</summary>
    public long? Record(DateTimeOffset at, long backlog, TimeSpan window)
    {
        lock (_samples)
        {
            var reference = _samples.FindLastIndex(sample => at - sample.At >= window);
            // Older samples than the reference will never be needed again.
            _samples.RemoveRange(0, Math.Max(reference, 0));
            long? result = reference >= 0 ? _samples[0].Backlog : null;
            _samples.Add((at, backlog));
            return result;
        }
    }
}
