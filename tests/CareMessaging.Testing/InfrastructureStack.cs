using Aspire.Hosting;
using Aspire.Hosting.Testing;
using CareMessaging.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CareMessaging.Testing;

/// <summary>
/// PostgreSQL (with every service database), Redis and RabbitMQ alone, started the way the
/// AppHost starts them in processes mode, for tests that host one service themselves.
/// </summary>
public sealed class InfrastructureStack : IAsyncDisposable
{
    private InfrastructureStack(DistributedApplication app) => App = app;

    public DistributedApplication App { get; }

    public static IReadOnlyList<string> AllResources { get; } =
    [
        ResourceNames.Postgres, ResourceNames.ConversationDb, ResourceNames.AuditDb, ResourceNames.StatsDb,
        ResourceNames.IdentityDb, ResourceNames.Redis, ResourceNames.Messaging,
    ];

    public static async Task<InfrastructureStack> StartAsync(string stateDirectory)
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.ResourceStart);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CareMessaging_AppHost>(
            [
                "Infrastructure:Mode=processes",
                $"Infrastructure:StateDirectory={stateDirectory}",
                "AppHost:InfrastructureOnly=true",
            ],
            cancellation.Token);
        builder.Services.AddLogging(TestLogging.Configure);

        var app = await builder.BuildAsync(cancellation.Token).WaitAsync(cancellation.Token);
        var stack = new InfrastructureStack(app);
        try
        {
            await app.StartAsync(cancellation.Token).WaitAsync(cancellation.Token);
            foreach (var resource in AllResources)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellation.Token)
                    .WaitAsync(cancellation.Token);
            }
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }

        return stack;
    }

    public async Task<string> GetConnectionStringAsync(string resourceName)
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.Request);
        return await App.GetConnectionStringAsync(resourceName, cancellation.Token)
            ?? throw new InvalidOperationException($"{resourceName} has no connection string.");
    }

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

    /// <summary>Stops and starts one server, as when it crashes and comes back, and waits until it answers again.</summary>
    public async Task RestartAsync(string resourceName)
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.ResourceStart);
        var commands = App.Services.GetRequiredService<Aspire.Hosting.ApplicationModel.ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(
            resourceName, Aspire.Hosting.ApplicationModel.KnownResourceCommands.RestartCommand, cancellation.Token);
        if (!result.Success)
        {
            throw new InvalidOperationException($"Restarting {resourceName} failed: {result.Message}");
        }

        await App.ResourceNotifications.WaitForResourceHealthyAsync(resourceName, cancellation.Token).WaitAsync(cancellation.Token);
    }

    public async ValueTask DisposeAsync()
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.ResourceStart);
        try
        {
            await App.StopAsync(cancellation.Token).WaitAsync(cancellation.Token);
        }
        finally
        {
            await App.DisposeAsync();
        }
    }
}

/// <summary>
/// One <see cref="InfrastructureStack"/> per test collection, with a state folder of its own.
/// </summary>
public sealed class InfrastructureFixture : Xunit.IAsyncLifetime
{
    private readonly TemporaryStateDirectory _state = new();

    public InfrastructureStack Infrastructure { get; private set; } = null!;

    public async Task InitializeAsync() => Infrastructure = await InfrastructureStack.StartAsync(_state.Path);

    public async Task DisposeAsync()
    {
        await Infrastructure.DisposeAsync();
        _state.Dispose();
    }
}
