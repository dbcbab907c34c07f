using Aspire.Hosting.Testing;
using CareMessaging.Contracts;

namespace CareMessaging.Testing;

/// <summary>
/// PostgreSQL (with every service database), Redis and RabbitMQ alone, started the way the
/// AppHost starts them in processes mode, for tests that host one service themselves.
/// </summary>
public sealed class InfrastructureStack : AppHostStack, IAsyncDisposable
{
    private InfrastructureStack()
    {
    }

    public static IReadOnlyList<string> AllResources { get; } =
    [
        ResourceNames.Postgres, ResourceNames.ConversationDb, ResourceNames.AuditDb, ResourceNames.StatsDb,
        ResourceNames.IdentityDb, ResourceNames.Redis, ResourceNames.Messaging,
    ];

    /// <summary>
    /// Starts the servers; <paramref name="settings"/> (AppHost configuration, <c>Key=value</c>) and
    /// <paramref name="configure"/> may change how they run (a test that makes one fail).
    /// </summary>
    public static async Task<InfrastructureStack> StartAsync(
        string stateDirectory, IEnumerable<string>? settings = null, Action<IDistributedApplicationTestingBuilder>? configure = null)
    {
        var stack = new InfrastructureStack();
        await stack.StartAsync(stateDirectory, ["AppHost:InfrastructureOnly=true", .. settings ?? []], AllResources, TestTimeouts.ResourceStart, configure);
        return stack;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
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
