using Microsoft.Extensions.Options;

namespace CareMessaging.Audit.Retention;

/// <summary>Runs <see cref="RetentionPurge"/> shortly after start and then every <see cref="RetentionOptions.Interval"/>.</summary>
public sealed partial class RetentionPurgeJob(
    IServiceScopeFactory scopes,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<RetentionPurgeJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        // Let start-up (migrations, the bus) finish before the first run.
        await Task.Delay(TimeSpan.FromMinutes(1), clock, stoppingToken);
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<RetentionPurge>().RunAsync(clock.GetUtcNow(), stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit retention purge failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
