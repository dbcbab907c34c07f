using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace CareMessaging.AppHost.Infrastructure.Processes;

/// <summary>
/// Protocol-level readiness: each check opens a real connection and runs a command, because an
/// open port alone says nothing (PostgreSQL accepts connections while still recovering, RabbitMQ
/// opens its port seconds before it accepts logins).
/// </summary>
internal abstract class ReadinessCheck(IResourceWithConnectionString resource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connectionString = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken)
                ?? throw new InvalidOperationException($"{resource.Name} has no connection string yet.");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await ProbeAsync(connectionString, timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{resource.Name} is not ready: {exception.GetType().Name}");
        }
    }

    protected abstract Task ProbeAsync(string connectionString, CancellationToken cancellationToken);
}

internal sealed class PostgresReadinessCheck(IResourceWithConnectionString resource, string? database = null) : ReadinessCheck(resource)
{
    protected override async Task ProbeAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 };
        if (database is not null)
        {
            builder.Database = database;
        }

        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(cancellationToken);
    }
}

internal sealed class RedisReadinessCheck(RedisProcessResource server) : ReadinessCheck(server)
{
    private readonly StoreCertificates? _tls = server.Tls;

    protected override async Task ProbeAsync(string connectionString, CancellationToken cancellationToken)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 5_000;
        if (_tls is { } tls)
        {
            options.CertificateValidation += tls.IsServerCertificate;
        }

        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        await redis.GetDatabase().PingAsync();
    }
}

internal sealed class RabbitMqReadinessCheck(RabbitMqProcessResource broker) : ReadinessCheck(broker)
{
    private readonly StoreCertificates? _tls = broker.Tls;

    protected override async Task ProbeAsync(string connectionString, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(connectionString), RequestedConnectionTimeout = TimeSpan.FromSeconds(5) };
        if (_tls is { } tls)
        {
            factory.Ssl.CertificateValidationCallback = tls.IsServerCertificate;
        }

        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.ExchangeDeclarePassiveAsync("amq.direct", cancellationToken);
    }
}
