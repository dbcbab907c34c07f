using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using CareMessaging.AppHost.Supervision;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CareMessaging.Testing;

/// <summary>
/// The CareMessaging AppHost started by a test in processes mode with a state folder of the
/// test's choosing: starting it and waiting until its resources are healthy, its connection
/// strings, the dashboard's stop, start and restart commands, and the resources' logs.
/// <see cref="CareMessagingStack"/> (everything) and <see cref="InfrastructureStack"/> (the
/// servers alone) are the two ways tests start it.
/// </summary>
public abstract class AppHostStack
{
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The stack has not started.");

    /// <summary>
    /// Builds the AppHost with <paramref name="settings"/> on top of processes mode, lets
    /// <paramref name="configure"/> adjust the model, starts it and waits until each of
    /// <paramref name="resources"/> is healthy. A start that fails stops what did start; when the
    /// AppHost gives up on a process that cannot start, the exception says which and shows the
    /// last lines of its log, as the console of a local run does.
    /// </summary>
    protected async Task StartAsync(
        string stateDirectory,
        IEnumerable<string> settings,
        IReadOnlyList<string> resources,
        TimeSpan timeout,
        Action<IDistributedApplicationTestingBuilder>? configure = null)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CareMessaging_AppHost>(
            ["Infrastructure:Mode=processes", $"Infrastructure:StateDirectory={stateDirectory}", .. settings],
            cancellation.Token);
        builder.Services.AddLogging(TestLogging.Configure);
        configure?.Invoke(builder);

        var app = await builder.BuildAsync(cancellation.Token).WaitAsync(cancellation.Token);
        var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellation.Token, stopping);
        try
        {
            await app.StartAsync(waiting.Token).WaitAsync(waiting.Token);
            foreach (var resource in resources)
            {
                // Through failed attempts: the AppHost starts a failing process again, and gives up on it itself.
                await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, WaitBehavior.WaitOnResourceUnavailable, waiting.Token)
                    .WaitAsync(waiting.Token);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            var failure = app.Services.GetRequiredService<ResourceSupervisor>().StartFailure;
            await StopAsync(app);
            throw new InvalidOperationException(failure ?? "The AppHost stopped while it was starting.");
        }
        catch (OperationCanceledException exception)
        {
            var report = await NotHealthyReportAsync(app);
            await StopAsync(app);
            throw new TimeoutException($"The stack was not healthy within {timeout}:\n{report}", exception);
        }
        catch
        {
            await StopAsync(app);
            throw;
        }

        _app = app;
    }

    public async Task<string> GetConnectionStringAsync(string resourceName)
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.Request);
        return await App.GetConnectionStringAsync(resourceName, cancellation.Token)
            ?? throw new InvalidOperationException($"{resourceName} has no connection string.");
    }

    /// <summary>Stops one resource (a broker outage, a service going down) until <see cref="StartResourceAsync"/>.</summary>
    public Task StopResourceAsync(string resourceName) =>
        ExecuteAsync(resourceName, KnownResourceCommands.StopCommand, waitUntilHealthy: false);

    /// <summary>Starts a stopped resource and waits until it is healthy again.</summary>
    public Task StartResourceAsync(string resourceName) =>
        ExecuteAsync(resourceName, KnownResourceCommands.StartCommand, waitUntilHealthy: true);

    /// <summary>Stops and starts one resource, as when it crashes and comes back, and waits until it is healthy again.</summary>
    public Task RestartResourceAsync(string resourceName) =>
        ExecuteAsync(resourceName, KnownResourceCommands.RestartCommand, waitUntilHealthy: true);

    /// <summary>
    /// Runs one of the dashboard's commands on <paramref name="resourceName"/>, as an operator
    /// clicking it would, and returns what the dashboard shows: success or failure and its message.
    /// </summary>
    public async Task<ExecuteCommandResult> ExecuteCommandAsync(string resourceName, string command)
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.ResourceStart);
        var commands = App.Services.GetRequiredService<ResourceCommandService>();
        return await commands.ExecuteCommandAsync(resourceName, command, cancellation.Token).WaitAsync(cancellation.Token);
    }

    /// <summary>
    /// The process the AppHost runs for <paramref name="resourceName"/> now, as the dashboard
    /// shows it: the one an operator would kill.
    /// </summary>
    public int ProcessIdOf(string resourceName) =>
        App.ResourceNotifications.TryGetCurrentState(resourceName, out var resource)
        && resource.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is int pid and > 0
            ? pid
            : throw new InvalidOperationException($"{resourceName} has no process now.");

    /// <summary>
    /// Waits until <paramref name="resourceName"/> runs as a process other than
    /// <paramref name="previousProcessId"/> and is healthy: a crashed resource started again.
    /// </summary>
    public async Task<int> WaitUntilRunningAgainAsync(string resourceName, int previousProcessId)
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.ResourceStart);
        var update = await App.ResourceNotifications.WaitForResourceAsync(
            resourceName,
            e => e.Snapshot.HealthStatus == HealthStatus.Healthy
                && e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is int pid and > 0
                && pid != previousProcessId,
            cancellation.Token).WaitAsync(cancellation.Token);
        ResourceFaults.ForgetDeadConnections();
        return (int)update.Snapshot.Properties.First(p => p.Name == "executable.pid").Value!;
    }

    /// <summary>Waits until every resource of the model is healthy again, as a test that broke something leaves the stack.</summary>
    public async Task WaitUntilHealthyAsync(IEnumerable<string> resources)
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.ResourceStart);
        foreach (var resource in resources)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellation.Token).WaitAsync(cancellation.Token);
        }
    }

    /// <summary>
    /// Every line each resource of the model has written since the stack started, by resource
    /// name. The lines come from the processes' captured console output, so what an operator
    /// would read in the dashboard or a log collector is what a test sees.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetResourceLogsAsync()
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.Request);
        var loggers = App.Services.GetRequiredService<ResourceLoggerService>();
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        var logs = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var resource in model.Resources)
        {
            var lines = new List<string>();
            await foreach (var batch in loggers.GetAllAsync(resource).WithCancellation(cancellation.Token))
            {
                lines.AddRange(batch.Select(line => line.Content));
            }

            logs[resource.Name] = lines;
        }

        return logs;
    }

    /// <summary>Stops the AppHost and every resource it started.</summary>
    protected async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await StopAsync(app);
        }
    }

    /// <summary>Each resource (each replica) that is not healthy, with its state and its last log lines.</summary>
    private static async Task<string> NotHealthyReportAsync(DistributedApplication app)
    {
        var latest = new Dictionary<string, ResourceEvent>(StringComparer.Ordinal);
        using (var watching = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            try
            {
                await foreach (var update in app.ResourceNotifications.WatchAsync(watching.Token))
                {
                    latest[update.ResourceId] = update;
                }
            }
            catch (OperationCanceledException)
            {
                // WatchAsync never ends by itself: the snapshot so far is the report.
            }
        }

        var report = new System.Text.StringBuilder();
        var loggers = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var (id, update) in latest.Where(e => e.Value.Snapshot.HealthStatus != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy && e.Value.Snapshot.State?.Text != KnownResourceStates.NotStarted).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            report.AppendLine($"--- {id}: {update.Snapshot.State?.Text ?? "no state"}, {update.Snapshot.HealthStatus?.ToString() ?? "no health"}");
            var lines = new List<string>();
            using var reading = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await foreach (var batch in loggers.GetAllAsync(id).WithCancellation(reading.Token))
                {
                    lines.AddRange(batch.Select(line => line.Content));
                }
            }
            catch (OperationCanceledException)
            {
                lines.Add("(logs cut short)");
            }

            foreach (var line in lines.TakeLast(15))
            {
                report.AppendLine(line);
            }
        }

        return report.ToString();
    }

    private static async Task StopAsync(DistributedApplication app)
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.ResourceStart);
        try
        {
            await app.StopAsync(cancellation.Token).WaitAsync(cancellation.Token);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private async Task ExecuteAsync(string resourceName, string command, bool waitUntilHealthy)
    {
        var result = await ExecuteCommandAsync(resourceName, command);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{command} of {resourceName} failed: {result.Message}");
        }

        if (waitUntilHealthy)
        {
            using var cancellation = new CancellationTokenSource(TestTimeouts.ResourceStart);
            try
            {
                // A restart passes through Exited, and the state may still say so when the command returns.
                await App.ResourceNotifications.WaitForResourceHealthyAsync(resourceName, WaitBehavior.WaitOnResourceUnavailable, cancellation.Token)
                    .WaitAsync(cancellation.Token);
            }
            catch (Exception failure) when (failure is DistributedApplicationException or OperationCanceledException or TimeoutException)
            {
                // As the console of a local run does: name the resource and show why, from its own log.
                var lines = (await GetResourceLogsAsync())[resourceName].TakeLast(30);
                throw new InvalidOperationException(
                    $"{resourceName} did not become healthy after {command}: {failure.Message}{Environment.NewLine}{string.Join(Environment.NewLine, lines)}", failure);
            }
        }
    }
}
