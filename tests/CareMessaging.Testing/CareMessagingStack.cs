using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using CareMessaging.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CareMessaging.Testing;

/// <summary>
/// The whole CareMessaging AppHost, started once per test collection in processes mode with a
/// state folder of its own: real PostgreSQL, Redis and RabbitMQ processes and every service.
/// The gateway is asked for a port that is already taken, as happens on a busy developer
/// machine, and must start anyway.
/// </summary>
public sealed class CareMessagingStack : IAsyncLifetime
{
    private readonly TemporaryStateDirectory _state = new();
    private TcpListener? _portHolder;
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The stack has not started.");

    public string StateDirectory => _state.Path;

    /// <summary>A port held open by the test while the gateway was asked to use it.</summary>
    public int TakenGatewayPort { get; private set; }

    /// <summary>Every resource of the model: infrastructure, databases and projects.</summary>
    public static IReadOnlyList<string> AllResources { get; } =
    [
        ResourceNames.Postgres, ResourceNames.ConversationDb, ResourceNames.AuditDb, ResourceNames.StatsDb,
        ResourceNames.IdentityDb, ResourceNames.Redis, ResourceNames.Messaging, .. ResourceNames.Projects,
    ];

    public async Task InitializeAsync()
    {
        _portHolder = new TcpListener(IPAddress.Loopback, 0);
        _portHolder.Start();
        TakenGatewayPort = ((IPEndPoint)_portHolder.LocalEndpoint).Port;

        using var cancellation = new CancellationTokenSource(TestTimeouts.StackStart);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CareMessaging_AppHost>(
            [
                "Infrastructure:Mode=processes",
                $"Infrastructure:StateDirectory={_state.Path}",
                $"Gateway:Port={TakenGatewayPort}",
            ],
            cancellation.Token);
        builder.Services.AddLogging(TestLogging.Configure);
        // Every test signs in through the gateway from the one loopback address, well over the
        // deployed 100 attempts a minute per address once the suite runs together. The limit per
        // user name, which SignInTests checks, stays as deployed.
        builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Identity)
            .WithEnvironment("Identity__RateLimits__AttemptsPerMinutePerAddress", "1000");

        // Framework categories at Information, as an operator investigating a problem would set them:
        // the end-to-end tests prove that even then no patient data reaches the logs (ADR 0005).
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            builder.CreateResourceBuilder(project)
                .WithEnvironment("Logging__LogLevel__Microsoft.AspNetCore", "Information")
                .WithEnvironment("Logging__LogLevel__Yarp", "Information")
                .WithEnvironment("Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command", "Information");
        }

        _app = await builder.BuildAsync(cancellation.Token).WaitAsync(cancellation.Token);
        await _app.StartAsync(cancellation.Token).WaitAsync(cancellation.Token);
        foreach (var resource in AllResources)
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellation.Token)
                .WaitAsync(cancellation.Token);
        }
    }

    /// <summary>An HTTP client for the public entry, as a browser or an integrator would use it.</summary>
    public HttpClient CreateGatewayClient()
    {
        var client = App.CreateHttpClient(ResourceNames.Gateway, "http");
        client.Timeout = TestTimeouts.Request;
        return client;
    }

    /// <summary>
    /// Every line each resource of the model has written since the stack started (services,
    /// gateway, web and the infrastructure processes), by resource name. The lines come from the
    /// processes' captured console output, so what an operator would read in the dashboard or a
    /// log collector is what a test sees.
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

    public async Task<string> GetConnectionStringAsync(string resourceName)
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.Request);
        return await App.GetConnectionStringAsync(resourceName, cancellation.Token)
            ?? throw new InvalidOperationException($"{resourceName} has no connection string.");
    }

    /// <summary>Restarts one resource through the same command the dashboard offers, and waits until it is healthy again.</summary>
    /// <summary>Stops one resource (a broker outage, a service going down) until <see cref="StartResourceAsync"/>.</summary>
    public Task StopResourceAsync(string resourceName) =>
        ExecuteAsync(resourceName, Aspire.Hosting.ApplicationModel.KnownResourceCommands.StopCommand, waitUntilHealthy: false);

    /// <summary>Starts a stopped resource and waits until it is healthy again.</summary>
    public Task StartResourceAsync(string resourceName) =>
        ExecuteAsync(resourceName, Aspire.Hosting.ApplicationModel.KnownResourceCommands.StartCommand, waitUntilHealthy: true);

    private async Task ExecuteAsync(string resourceName, string command, bool waitUntilHealthy)
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.ResourceStart);
        var commands = App.Services.GetRequiredService<Aspire.Hosting.ApplicationModel.ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(resourceName, command, cancellation.Token);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{command} of {resourceName} failed: {result.Message}");
        }

        if (waitUntilHealthy)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resourceName, cancellation.Token).WaitAsync(cancellation.Token);
        }
    }

    public async Task RestartAsync(string resourceName)
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.ResourceStart);
        var commands = App.Services.GetRequiredService<ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(resourceName, KnownResourceCommands.RestartCommand, cancellation.Token);
        if (!result.Success)
        {
            throw new InvalidOperationException($"Restarting {resourceName} failed: {result.Message}");
        }

        await App.ResourceNotifications.WaitForResourceHealthyAsync(resourceName, cancellation.Token).WaitAsync(cancellation.Token);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            using var cancellation = new CancellationTokenSource(TestTimeouts.ResourceStart);
            await _app.StopAsync(cancellation.Token).WaitAsync(cancellation.Token);
            await _app.DisposeAsync();
        }

        _portHolder?.Stop();
        _state.Dispose();
    }
}
