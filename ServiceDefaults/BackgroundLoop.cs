using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CareMessaging.ServiceDefaults;

/// <summary>What a round of a <see cref="BackgroundLoop"/> asks for next.</summary>
public readonly record struct NextRound
{
    private NextRound(TimeSpan? delay) => Delay = delay;

    /// <summary>How long to wait before the next round; null ends the loop.</summary>
    public TimeSpan? Delay { get; }

    public static NextRound After(TimeSpan delay) => new(delay < TimeSpan.Zero ? TimeSpan.Zero : delay);

    /// <summary>There is more to do: the next round starts at once.</summary>
    public static NextRound Now => new(TimeSpan.Zero);

    /// <summary>The job is done for the life of the process.</summary>
    public static NextRound Stop => new(null);
}

/// <summary>
/// The one shape of a service's background job: wait <see cref="InitialDelay"/>, then run rounds,
/// each saying when the next one is due. A round that throws is logged and tried again after
/// <see cref="DelayAfterFailure"/> (a growing pause by default), and the recovery is logged once it
/// works again, so a database or broker that is down for a while neither stops the job nor floods
/// the log. A loop that can be woken early (the outbox dispatcher) overrides <see cref="WaitAsync"/>.
/// </summary>
public abstract partial class BackgroundLoop(TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>The job's name in log lines, for example "outbox dispatch".</summary>
    protected abstract string JobName { get; }

    protected TimeProvider Clock { get; } = clock;

    /// <summary>How long to let start-up settle before the first round.</summary>
    protected virtual TimeSpan InitialDelay => TimeSpan.Zero;

    /// <summary>Runs one round of the job.</summary>
    protected abstract Task<NextRound> RunRoundAsync(CancellationToken cancellationToken);

    /// <summary>The pause after the <paramref name="failures"/>-th failure in a row: 0.5 s, doubling, at most 30 s.</summary>
    protected virtual TimeSpan DelayAfterFailure(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(30_000, 500 * Math.Pow(2, Math.Min(failures - 1, 16))));

    /// <summary>Waits before the next round; the outbox dispatcher also wakes when signalled.</summary>
    protected virtual Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, Clock, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        try
        {
            await WaitAsync(InitialDelay, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                TimeSpan delay;
                try
                {
                    var next = await RunRoundAsync(stoppingToken);
                    if (failures > 0)
                    {
                        LogRecovered(logger, JobName, failures);
                        failures = 0;
                    }

                    if (next.Delay is not { } wait)
                    {
                        return;
                    }

                    delay = wait;
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    failures++;
                    delay = DelayAfterFailure(failures);
                    LogFailed(logger, JobName, failures, delay.TotalSeconds, exception.GetType().Name, exception.Message);
                }

                await WaitAsync(delay, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The service is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background job {Job} failed ({Failures} in a row); trying again in {DelaySeconds} s: {ExceptionType}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string job, int failures, double delaySeconds, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Background job {Job} works again after {Failures} failed rounds")]
    private static partial void LogRecovered(ILogger logger, string job, int failures);
}
