using CareMessaging.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace CareMessaging.Audit.Retention;

/// <summary>Runs <see cref="RetentionPurge"/> shortly after start and then every <see cref="RetentionOptions.Interval"/>.</summary>
public sealed class RetentionPurgeJob(
    IServiceScopeFactory scopes,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<RetentionPurgeJob> logger) : BackgroundLoop(clock, logger)
{
    protected override string JobName => "audit retention purge";

    // Let start-up (migrations, the bus) finish before the first run.
    protected override TimeSpan InitialDelay => TimeSpan.FromMinutes(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Enabled ? base.ExecuteAsync(stoppingToken) : Task.CompletedTask;

    protected override async Task<NextRound> RunRoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RetentionPurge>().RunAsync(Clock.GetUtcNow(), cancellationToken);
        return NextRound.After(options.Value.Interval);
    }

    // A failed purge is due again at the next interval, as a successful one is: records past
    // retention a little longer do no harm, and a purge that keeps failing does not fill the log.
    protected override TimeSpan DelayAfterFailure(int failures) => options.Value.Interval;
}
