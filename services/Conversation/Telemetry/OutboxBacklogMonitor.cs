using CareMessaging.Conversation.Data;
using CareMessaging.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CareMessaging.Conversation.Telemetry;

/// <summary>
/// Reads the outbox backlog every <see cref="TelemetryOptions.OutboxBacklogInterval"/> for
/// <see cref="ConversationTelemetry"/>, so that no metric collection queries the database. One
/// statement of two index lookups on the unsent rows' partial index: their number and the oldest
/// one's time. Every replica reports the same figure; sum none of them (docs/operations/metrics.md).
/// </summary>
public sealed class OutboxBacklogMonitor(
    IServiceScopeFactory scopes,
    ConversationTelemetry metrics,
    IOptions<TelemetryOptions> options,
    TimeProvider clock,
    ILogger<OutboxBacklogMonitor> logger) : BackgroundLoop(clock, logger)
{
    protected override string JobName => "outbox backlog reading";

    protected override async Task<NextRound> RunRoundAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConversationDbContext>();
            var backlog = await db.Database.SqlQuery<Backlog>($"""
                SELECT (SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL) AS unsent,
                       (SELECT created_at FROM outbox_messages WHERE sent_at IS NULL ORDER BY id LIMIT 1) AS oldest_created_at
                """).SingleAsync(cancellationToken);
            metrics.OutboxBacklogRead(backlog.Unsent, backlog.OldestCreatedAt);
        }
        catch
        {
            metrics.OutboxBacklogUnknown();
            throw;
        }

        return NextRound.After(options.Value.OutboxBacklogInterval);
    }

    // The figure is only telemetry: while the database is down, look again at the usual pace.
    protected override TimeSpan DelayAfterFailure(int failures) => options.Value.OutboxBacklogInterval;

    private sealed record Backlog(long Unsent, DateTimeOffset? OldestCreatedAt);
}
