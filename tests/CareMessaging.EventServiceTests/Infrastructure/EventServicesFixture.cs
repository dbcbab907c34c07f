using System.Net;
using CareMessaging.Audit.Trail;
using CareMessaging.Clients;
using CareMessaging.Contracts;
using CareMessaging.Notification.Counters;
using CareMessaging.Stats.ReadModel;
using CareMessaging.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CareMessaging.EventServiceTests.Infrastructure;

/// <summary>
/// Real PostgreSQL, Redis and RabbitMQ (<see cref="InfrastructureStack"/>), a MassTransit bus in the
/// test process that publishes the Contracts events onto that RabbitMQ, the read-model stand-in, and
/// the Notification, Stats and Audit services hosted in-process, each started on first use.
/// </summary>
public sealed class EventServicesFixture : IAsyncLifetime
{
    private readonly TemporaryStateDirectory _state = new();
    private readonly List<IAsyncDisposable> _factories = [];
    private IBusControl? _bus;

    /// <summary>The tokens every hosted service trusts and the read-model stand-in issues: one issuer and key per test run.</summary>
    public static TestTokens Tokens { get; } = new(ResourceNames.Conversation);

    public InfrastructureStack Infrastructure { get; private set; } = null!;

    public ReadModelStandIn ReadModel { get; private set; } = null!;

    public ServiceFactory<UnreadCounters> Notification { get; private set; } = null!;

    public ServiceFactory<StatsStore> Stats { get; private set; } = null!;

    public ServiceFactory<AuditTrail> Audit { get; private set; } = null!;

    /// <summary>Counts what each hosted service's consumers finished, by event id.</summary>
    public ConsumeWatcher NotificationConsumed { get; private set; } = null!;

    public ConsumeWatcher StatsConsumed { get; private set; } = null!;

    public ConsumeWatcher AuditConsumed { get; private set; } = null!;

    public string RedisConnectionString { get; private set; } = string.Empty;

    public string AuditDbConnectionString { get; private set; } = string.Empty;

    public string StatsDbConnectionString { get; private set; } = string.Empty;

    public string MessagingConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Infrastructure = await InfrastructureStack.StartAsync(_state.Path);
        RedisConnectionString = await Infrastructure.GetConnectionStringAsync(ResourceNames.Redis);
        AuditDbConnectionString = await Infrastructure.GetConnectionStringAsync(ResourceNames.AuditDb);
        StatsDbConnectionString = await Infrastructure.GetConnectionStringAsync(ResourceNames.StatsDb);
        MessagingConnectionString = await Infrastructure.GetConnectionStringAsync(ResourceNames.Messaging);
        ReadModel = await ReadModelStandIn.StartAsync();

        _bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(MessagingConnectionString)));
        using var cancellation = new CancellationTokenSource(TestTimeouts.ResourceStart);
        await _bus.StartAsync(cancellation.Token);

        Notification = Track(CreateNotification());
        Stats = Track(CreateStats());
        Audit = Track(CreateAudit());

        // Start the three hosts now: each declares its queues before the first event is published.
        NotificationConsumed = ConsumeWatcher.Attach(Notification.Services);
        StatsConsumed = ConsumeWatcher.Attach(Stats.Services);
        AuditConsumed = ConsumeWatcher.Attach(Audit.Services);

        // As the AppHost's WaitFor does: the tests begin once every service reports ready.
        foreach (var client in new[] { Notification.CreateClient(user: null), Stats.CreateClient(user: null), Audit.CreateClient(user: null) })
        {
            using (client)
            {
                var status = await Eventually.Until(() => HealthAsync(client), s => s == HttpStatusCode.OK, TestTimeouts.ResourceStart);
                if (status != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"A service under test did not become ready: /health answers {(int)status}.");
                }
            }
        }
    }

    /// <summary>The status of a hosted service's readiness endpoint (/health), or of its liveness endpoint (/alive).</summary>
    public static async Task<HttpStatusCode> HealthAsync(HttpClient client, string path = "/health")
    {
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    /// <summary>A Notification host; with <paramref name="redisConnectionString"/>, one that reaches Redis another way (through a <see cref="TcpGate"/>).</summary>
    public ServiceFactory<UnreadCounters> CreateNotification(string? redisConnectionString = null) => new(ResourceNames.Notification, new Dictionary<string, string?>(ReadModelStandIn.ServiceClientSettings(ResourceNames.Notification))
    {
        [$"ConnectionStrings:{ResourceNames.Redis}"] = redisConnectionString ?? RedisConnectionString,
        [$"ConnectionStrings:{ResourceNames.Messaging}"] = MessagingConnectionString,
        ["Notification:ConversationService"] = ReadModelStandIn.BaseAddress,
        ["Notification:Rebuild:CheckInterval"] = "00:00:00.500",
    }, services =>
    {
        services.AddHttpClient<ReadModelExportClient>().ConfigurePrimaryHttpMessageHandler(ReadModel.CreateHandler);
        services.AddHttpClient(ServiceClients.TokenHttpClientName).ConfigurePrimaryHttpMessageHandler(ReadModel.CreateHandler);
    });

    /// <summary>A Stats host; with <paramref name="statsDbConnectionString"/>, one with a database of its own.</summary>
    public ServiceFactory<StatsStore> CreateStats(string? statsDbConnectionString = null) => new(ResourceNames.Stats, new Dictionary<string, string?>(ReadModelStandIn.ServiceClientSettings(ResourceNames.Stats))
    {
        [$"ConnectionStrings:{ResourceNames.StatsDb}"] = statsDbConnectionString ?? StatsDbConnectionString,
        [$"ConnectionStrings:{ResourceNames.Messaging}"] = MessagingConnectionString,
        ["Stats:ConversationService"] = ReadModelStandIn.BaseAddress,
    }, services =>
    {
        services.AddHttpClient<ReadModelExportClient>().ConfigurePrimaryHttpMessageHandler(ReadModel.CreateHandler);
        services.AddHttpClient(ServiceClients.TokenHttpClientName).ConfigurePrimaryHttpMessageHandler(ReadModel.CreateHandler);
    });

    /// <summary>An Audit host; with <paramref name="auditDbConnectionString"/>, one that reaches auditdb another way.</summary>
    public ServiceFactory<AuditTrail> CreateAudit(string? auditDbConnectionString = null) => new(ResourceNames.Audit, new Dictionary<string, string?>
    {
        [$"ConnectionStrings:{ResourceNames.AuditDb}"] = auditDbConnectionString ?? AuditDbConnectionString,
        [$"ConnectionStrings:{ResourceNames.Messaging}"] = MessagingConnectionString,
        // The tests run the purge themselves, with a clock of their choosing.
        ["Audit:Retention:Enabled"] = "false",
    });

    /// <summary>Disposes <paramref name="factory"/> with the fixture.</summary>
    public T Track<T>(T factory) where T : IAsyncDisposable
    {
        _factories.Add(factory);
        return factory;
    }

    /// <summary>Publishes events onto the real broker, one after another, as the Conversation service's outbox would.</summary>
    public async Task PublishAsync(IEnumerable<object> events)
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.Request);
        foreach (var message in events)
        {
            await _bus!.Publish(message, message.GetType(), cancellation.Token);
        }
    }

    public Task PublishAsync(params object[] events) => PublishAsync((IEnumerable<object>)events);

    public async Task DisposeAsync()
    {
        foreach (var factory in _factories)
        {
            await factory.DisposeAsync();
        }

        if (_bus is not null)
        {
            await _bus.StopAsync();
        }

        if (ReadModel is not null)
        {
            await ReadModel.DisposeAsync();
        }

        if (Infrastructure is not null)
        {
            await Infrastructure.DisposeAsync();
        }

        _state.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class EventServicesCollection : ICollectionFixture<EventServicesFixture>
{
    public const string Name = "event services";
}
