using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CareMessaging.AppHost.Supervision;

/// <summary>
/// Watches every process the AppHost runs (the local servers and the services) and does what
/// an operator would otherwise have to: says on the console when each is up; starts one that
/// died by itself again, with a pause that doubles, and says so on the console and in the
/// process's own log in the dashboard; reports one that keeps failing by name with the last
/// lines of its log; and ends the run with an error when a process cannot start at all, rather
/// than leaving the console waiting. A process an operator stopped from the dashboard stays
/// stopped: its stop passes through Stopping, a crash does not (ADR 0007).
/// </summary>
public sealed partial class ResourceSupervisor(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ResourceLoggerService resourceLogs,
    ResourceCommandService commands,
    IHostApplicationLifetime lifetime,
    SupervisionSettings settings,
    ILogger<ResourceSupervisor> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Watch> _watches = new(StringComparer.Ordinal);
    private readonly DateTime _startedAt = DateTime.UtcNow;
    private int _startFailed;

    /// <summary>Why the run ended during start-up, when a process could not start; null while all is well.</summary>
    public string? StartFailure { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var supervised = model.Resources.Where(r => r is ExecutableResource or ProjectResource).ToList();
        if (supervised.Count == 0)
        {
            return;
        }

        var deadline = WatchStartDeadlineAsync(supervised, stoppingToken);
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                if (update.Resource is ExecutableResource or ProjectResource)
                {
                    Observe(update);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await deadline;
    }

    private void Observe(ResourceEvent update)
    {
        var watch = _watches.GetOrAdd(update.ResourceId, _ => new Watch(update.Resource, update.ResourceId));
        var state = update.Snapshot.State?.Text;
        lock (watch)
        {
            if (state == KnownResourceStates.Stopping)
            {
                // A stop asked for (the dashboard, a test, the AppHost ending): not a failure.
                watch.StoppedOnPurpose = true;
            }
            else if (state == KnownResourceStates.Starting)
            {
                watch.StoppedOnPurpose = false;
            }
            else if (state == KnownResourceStates.Running && update.Snapshot.HealthStatus == HealthStatus.Healthy)
            {
                OnHealthy(watch);
            }
            else if (KnownResourceStates.TerminalStates.Contains(state) && !watch.StoppedOnPurpose)
            {
                OnDied(watch, update.Snapshot);
            }
        }
    }

    private void OnHealthy(Watch watch)
    {
        if (watch.HealthySince is not null)
        {
            return;
        }

        watch.HealthySince = DateTime.UtcNow;
        watch.RestartScheduled = false;
        if (!watch.EverHealthy)
        {
            watch.EverHealthy = true;
            LogUp(logger, watch.Resource.Name, (int)(DateTime.UtcNow - _startedAt).TotalSeconds);
        }
        else if (watch.Failures > 0)
        {
            LogRecovered(logger, watch.Resource.Name, watch.Failures);
            resourceLogs.GetLogger(watch.ResourceId).LogInformation("Healthy again after {Failures} failure(s).", watch.Failures);
        }
    }

    private void OnDied(Watch watch, CustomResourceSnapshot snapshot)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested || watch.RestartScheduled)
        {
            return;
        }

        // Failures long after the last one are a new story: the pause starts short again.
        if (watch.HealthySince is { } since && DateTime.UtcNow - since >= settings.StablePeriod)
        {
            watch.Failures = 0;
        }

        watch.HealthySince = null;
        watch.Failures++;
        var failures = watch.Failures;
        var exitCode = snapshot.ExitCode;

        if (!watch.EverHealthy && failures >= settings.StartAttempts)
        {
            _ = FailStartAsync(watch, $"{watch.Resource.Name} could not start ({failures} attempts, last exit code {Describe(exitCode)}).");
            return;
        }

        if (!settings.Restart)
        {
            LogDiedNoRestart(logger, watch.Resource.Name, Describe(exitCode));
            return;
        }

        var delay = Backoff(failures);
        watch.RestartScheduled = true;
        LogRestarting(logger, watch.Resource.Name, Describe(exitCode), (int)Math.Ceiling(delay.TotalSeconds), failures);
        resourceLogs.GetLogger(watch.ResourceId).LogWarning(
            "Stopped by itself (exit code {ExitCode}); starting again in {Delay} s (failure {Failures} in a row).",
            Describe(exitCode), (int)Math.Ceiling(delay.TotalSeconds), failures);
        _ = RestartAsync(watch, delay, reportFirst: failures >= settings.FailuresBeforeReport);
    }

    private async Task RestartAsync(Watch watch, TimeSpan delay, bool reportFirst)
    {
        try
        {
            if (reportFirst)
            {
                LogKeepsFailing(logger, watch.Resource.Name, watch.Failures, await LastLinesAsync(watch.ResourceId));
            }

            await Task.Delay(delay, lifetime.ApplicationStopping);
            lock (watch)
            {
                watch.RestartScheduled = false;
                // Started by hand meanwhile, or stopped on purpose: nothing to do.
                if (watch.StoppedOnPurpose || !notifications.TryGetCurrentState(watch.ResourceId, out var current)
                    || !KnownResourceStates.TerminalStates.Contains(current.Snapshot.State?.Text))
                {
                    return;
                }
            }

            var result = await commands.ExecuteCommandAsync(watch.ResourceId, KnownResourceCommands.StartCommand, lifetime.ApplicationStopping);
            if (!result.Success)
            {
                LogRestartRefused(logger, watch.Resource.Name, result.Message);
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            // A restart that throws is one more failure; the resource's next state tells the story.
            LogRestartFailed(logger, exception, watch.Resource.Name);
        }
    }

    private async Task WatchStartDeadlineAsync(IReadOnlyList<IResource> supervised, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(settings.StartTimeout, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var notUp = supervised.Where(r => !_watches.Values.Any(w => w.Resource == r && w.EverHealthy)).ToList();
        if (notUp.Count == 0)
        {
            return;
        }

        var report = new StringBuilder();
        foreach (var resource in notUp)
        {
            var id = _watches.Values.FirstOrDefault(w => w.Resource == resource)?.ResourceId ?? resource.Name;
            notifications.TryGetCurrentState(id, out var current);
            report.Append(resource.Name).Append(": ").Append(current?.Snapshot.State?.Text ?? "not started");
            foreach (var check in current?.Snapshot.HealthReports.Where(h => h.Status != HealthStatus.Healthy) ?? [])
            {
                report.Append("; health check ").Append(check.Name).Append(": ").Append(check.Description ?? check.Status?.ToString() ?? "not run yet");
            }

            report.AppendLine();
        }

        var first = notUp[0];
        var watch = _watches.Values.FirstOrDefault(w => w.Resource == first) ?? new Watch(first, first.Name);
        await FailStartAsync(watch, $"Start-up did not finish within {settings.StartTimeout}. Not healthy yet:{Environment.NewLine}{report}".TrimEnd());
    }

    private async Task FailStartAsync(Watch watch, string reason)
    {
        if (Interlocked.Exchange(ref _startFailed, 1) == 1)
        {
            return;
        }

        var lines = await LastLinesAsync(watch.ResourceId);
        StartFailure = $"{reason}{Environment.NewLine}Last lines of the log of {watch.Resource.Name}:{Environment.NewLine}{lines}";
        LogStartFailed(logger, StartFailure);
        Environment.ExitCode = 1;
        lifetime.StopApplication();
    }

    private async Task<string> LastLinesAsync(string resourceId)
    {
        var lines = new List<string>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await foreach (var batch in resourceLogs.GetAllAsync(resourceId).WithCancellation(timeout.Token))
            {
                lines.AddRange(batch.Select(line => LogTimestamp().Replace(line.Content, string.Empty)));
            }
        }
        catch (OperationCanceledException)
        {
            lines.Add("(the log could not be read in time)");
        }

        var last = lines.TakeLast(settings.LogLinesInReport).Select(line => "    " + line);
        return lines.Count == 0 ? "    (no output)" : string.Join(Environment.NewLine, last);
    }

    private TimeSpan Backoff(int failures)
    {
        var seconds = settings.FirstRestartDelay.TotalSeconds * Math.Pow(2, Math.Min(failures - 1, 16));
        return TimeSpan.FromSeconds(Math.Min(seconds, settings.MaxRestartDelay.TotalSeconds));
    }

    // A process killed by a signal has no exit code of its own.
    private static string Describe(int? exitCode) => exitCode is null or -1 ? "none, killed" : exitCode.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT[\d:.]+Z ")]
    private static partial Regex LogTimestamp();

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource} is up ({Seconds} s)")]
    private static partial void LogUp(ILogger logger, string resource, int seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource} is healthy again after {Failures} failure(s)")]
    private static partial void LogRecovered(ILogger logger, string resource, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource} stopped by itself (exit code {ExitCode}); starting it again in {Delay} s (failure {Failures} in a row)")]
    private static partial void LogRestarting(ILogger logger, string resource, string exitCode, int delay, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Resource} stopped by itself (exit code {ExitCode}) and is not started again (Supervision:Restart is false)")]
    private static partial void LogDiedNoRestart(ILogger logger, string resource, string exitCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Resource} keeps failing ({Failures} times in a row). Last lines of its log:\n{Lines}")]
    private static partial void LogKeepsFailing(ILogger logger, string resource, int failures, string lines);

    [LoggerMessage(Level = LogLevel.Error, Message = "Starting {Resource} again was refused: {Message}")]
    private static partial void LogRestartRefused(ILogger logger, string resource, string? message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Starting {Resource} again failed")]
    private static partial void LogRestartFailed(ILogger logger, Exception exception, string resource);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Failure}\nThe run stops. Fix the cause and start again; ./run.sh --wipe resets the local data.")]
    private static partial void LogStartFailed(ILogger logger, string failure);

    private sealed class Watch(IResource resource, string resourceId)
    {
        public IResource Resource { get; } = resource;

        public string ResourceId { get; } = resourceId;

        public bool StoppedOnPurpose { get; set; }

        public bool EverHealthy { get; set; }

        public DateTime? HealthySince { get; set; }

        public int Failures { get; set; }

        public bool RestartScheduled { get; set; }
    }
}

/// <summary>Registers the <see cref="ResourceSupervisor"/> in run mode.</summary>
public static class SupervisionExtensions
{
    public static IDistributedApplicationBuilder AddResourceSupervision(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsRunMode)
        {
            builder.Services.AddSingleton(SupervisionSettings.From(builder.Configuration));
            builder.Services.AddSingleton<ResourceSupervisor>();
            builder.Services.AddHostedService(services => services.GetRequiredService<ResourceSupervisor>());
        }

        return builder;
    }
}
