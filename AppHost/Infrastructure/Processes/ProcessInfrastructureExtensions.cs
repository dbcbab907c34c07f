using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CareMessaging.AppHost.Infrastructure.Processes;

/// <summary>
/// Adds PostgreSQL, Redis and RabbitMQ from Debian's packages as executable resources. Each
/// runs in the foreground under DCP through a launcher script, listens on a port that Aspire
/// allocates, keeps its data in the state folder, and reports healthy only when it answers
/// its own protocol.
/// </summary>
public static class ProcessInfrastructureExtensions
{
    // The launchers are copied next to the AppHost assembly, so test hosts that build their own
    // model from these methods find them too.
    private static string ScriptsDirectory(IDistributedApplicationBuilder builder) =>
        Path.Combine(Path.GetDirectoryName(typeof(ProcessInfrastructureExtensions).Assembly.Location)!, "Infrastructure", "Scripts");

    public static IResourceBuilder<PostgresProcessResource> AddPostgresProcess(
        this IDistributedApplicationBuilder builder, string name, LocalState state)
    {
        Prerequisites.Require("/usr/lib/postgresql/15/bin/postgres", "postgresql-15");
        Prerequisites.Require("/usr/share/postgresql/15/extension/pg_trgm.control", "postgresql-contrib");

        var password = builder.AddParameter($"{name}-password", state.Credentials.PostgresPassword, secret: true);
        var server = new PostgresProcessResource(name, state.Directory, password.Resource, state.Tls);

        // DCP runs the server, but nothing runs its databases: they are created once the server
        // answers and follow its state from then on (Aspire does this only for containers).
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (@event, cancellationToken) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CareMessaging.Infrastructure");
            await CreateDatabasesAsync(server, logger, cancellationToken);
            await PublishDatabaseStateAsync(server, @event.Services, KnownResourceStates.Running);
        });
        builder.Eventing.Subscribe<ResourceStoppedEvent>(server, (@event, _) =>
            PublishDatabaseStateAsync(server, @event.Services, KnownResourceStates.Exited));

        return builder.AddResource(server)
            .WithArgs(Path.Combine(ScriptsDirectory(builder), "postgres.sh"))
            .WithEndpoint(name: PostgresProcessResource.EndpointName, scheme: "tcp", env: "PGPORT", isProxied: false)
            .WithEnvironment("CM_STATE_DIR", state.Directory)
            .WithEnvironment("CM_POSTGRES_PASSWORD", password)
            .WithTlsCertificates(state.Tls)
            .WithReadinessCheck(new PostgresReadinessCheck(server, "postgres"));
    }

    public static IResourceBuilder<PostgresProcessDatabaseResource> AddDatabase(
        this IResourceBuilder<PostgresProcessResource> server, string name)
    {
        var database = new PostgresProcessDatabaseResource(name, name, server.Resource);
        server.Resource.AddDatabase(database);
        return server.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.NotStarted,
                Properties = [],
            })
            .WithReadinessCheck(new PostgresReadinessCheck(database));
    }

    public static IResourceBuilder<RedisProcessResource> AddRedisProcess(
        this IDistributedApplicationBuilder builder, string name, LocalState state)
    {
        Prerequisites.Require("/usr/bin/redis-server", "redis-server");

        var password = builder.AddParameter($"{name}-password", state.Credentials.RedisPassword, secret: true);
        var redis = new RedisProcessResource(name, state.Directory, password.Resource, state.Tls);
        return builder.AddResource(redis)
            .WithArgs(Path.Combine(ScriptsDirectory(builder), "redis.sh"))
            .WithEndpoint(name: RedisProcessResource.EndpointName, scheme: "tcp", env: "REDIS_PORT", isProxied: false)
            .WithEnvironment("CM_STATE_DIR", state.Directory)
            .WithEnvironment("CM_REDIS_PASSWORD", password)
            .WithTlsCertificates(state.Tls)
            .WithReadinessCheck(new RedisReadinessCheck(redis));
    }

    public static IResourceBuilder<RabbitMqProcessResource> AddRabbitMqProcess(
        this IDistributedApplicationBuilder builder, string name, LocalState state)
    {
        Prerequisites.Require("/usr/lib/rabbitmq/bin/rabbitmq-server", "rabbitmq-server");

        var password = builder.AddParameter($"{name}-password", state.Credentials.RabbitMqPassword, secret: true);
        var rabbit = new RabbitMqProcessResource(name, state.Directory, password.Resource, state.Tls);
        return builder.AddResource(rabbit)
            .WithArgs(Path.Combine(ScriptsDirectory(builder), "rabbitmq.sh"))
            .WithEndpoint(name: RabbitMqProcessResource.EndpointName, scheme: "tcp", env: "RABBITMQ_NODE_PORT", isProxied: false)
            // Erlang's distribution port: without it RabbitMQ picks the AMQP port + 20000, which may not exist.
            .WithEndpoint(name: RabbitMqProcessResource.DistributionEndpointName, scheme: "tcp", env: "RABBITMQ_DIST_PORT", isProxied: false)
            .WithEnvironment("CM_STATE_DIR", state.Directory)
            .WithEnvironment("CM_RABBITMQ_USER", RabbitMqProcessResource.UserName)
            .WithEnvironment("CM_RABBITMQ_PASSWORD", password)
            .WithTlsCertificates(state.Tls)
            .WithReadinessCheck(new RabbitMqReadinessCheck(rabbit));
    }

    /// <summary>With TLS on, the launcher makes the server listen only with TLS, presenting the certificates in <c>CM_TLS_DIR</c>.</summary>
    private static IResourceBuilder<T> WithTlsCertificates<T>(this IResourceBuilder<T> builder, StoreCertificates? tls)
        where T : ExecutableResource =>
        tls is null ? builder : builder.WithEnvironment("CM_TLS_DIR", tls.Directory);

    private static IResourceBuilder<T> WithReadinessCheck<T>(this IResourceBuilder<T> builder, IHealthCheck check)
        where T : IResource
    {
        var key = $"{builder.Resource.Name}_ready";
        builder.ApplicationBuilder.Services.AddHealthChecks()
            .Add(new HealthCheckRegistration(key, check, failureStatus: HealthStatus.Unhealthy, tags: null));
        return builder.WithHealthCheck(key);
    }

    private static async Task PublishDatabaseStateAsync(PostgresProcessResource server, IServiceProvider services, string state)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        foreach (var database in server.Databases)
        {
            await notifications.PublishUpdateAsync(database, snapshot => snapshot with
            {
                State = state,
                StartTimeStamp = state == KnownResourceStates.Running ? DateTime.UtcNow : snapshot.StartTimeStamp,
                StopTimeStamp = state == KnownResourceStates.Exited ? DateTime.UtcNow : null,
            });
        }
    }

    private static async Task CreateDatabasesAsync(PostgresProcessResource server, ILogger logger, CancellationToken cancellationToken)
    {
        var connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken);
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);

        foreach (var database in server.Databases.Select(d => d.DatabaseName))
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
            exists.Parameters.AddWithValue(database);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            {
                continue;
            }

            // Database names come from ResourceNames constants, never from input.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            logger.LogInformation("Created database {Database}", database);
        }
    }
}

/// <summary>Fails fast, naming the Debian package, when a server binary is missing.</summary>
public static class Prerequisites
{
    public static void Require(string path, string debianPackage)
    {
        if (!File.Exists(path))
        {
            throw new DistributedApplicationException(
                $"{path} is missing. Install the Debian package '{debianPackage}' " +
                $"(sudo apt-get install -y {debianPackage}), or start with ./run.sh, which installs it. " +
                "To use containers or existing servers instead, set Infrastructure:Mode to 'containers' or 'external'.");
        }
    }
}
