using CareMessaging.Contracts;
using CareMessaging.ServiceDefaults;
using CareMessaging.ServiceDefaults.Telemetry;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The one registration of MassTransit over RabbitMQ that every service uses, so queue naming,
/// start-up behaviour and the way consumers are registered (<see cref="ConsumerRegistration"/>) are
/// the same everywhere.
/// </summary>
public static class Messaging
{
    /// <summary>The bus's entry in /health.</summary>
    public const string BusHealthCheckName = "masstransit-bus";

    /// <summary>
    /// Connects the service to the broker named <see cref="ResourceNames.Messaging"/>.
    /// Queues are prefixed with <paramref name="serviceName"/> so two services consuming
    /// the same event each get their own copy, while replicas of one service compete.
    /// </summary>
    /// <param name="readyWithoutBroker">
    /// True for a service whose requests do not wait on the broker (its outbox or its queues hold the
    /// events until it is back): while RabbitMQ is away its readiness reports the bus Degraded and
    /// stays ready, so it keeps serving. False (a service that publishes inside requests) reports it
    /// Unhealthy, and the service is not ready until the broker is back.
    /// </param>
    public static IHostApplicationBuilder AddMessaging(
        this IHostApplicationBuilder builder,
        string serviceName,
        Action<IBusRegistrationConfigurator>? configure = null,
        bool readyWithoutBroker = false)
    {
        var connectionString = builder.Configuration.GetConnectionString(ResourceNames.Messaging);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ResourceNames.Messaging} is not set. Start the service through the AppHost, " +
                "or set it to an amqp:// URI of a RabbitMQ broker.");
        }

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = BusHealthCheckName;
                // The worst the bus reports: Degraded keeps a service that can work without the broker ready.
                health.MinimalFailureStatus = readyWithoutBroker ? HealthStatus.Degraded : HealthStatus.Unhealthy;
            });

            configure?.Invoke(bus);

            bus.UsingRabbitMq((context, rabbit) =>
            {
                // amqps:// is TLS with the broker's certificate checked (ADR 0056).
                rabbit.Host(new Uri(connectionString), host => StoreTls.ConfigureBroker(host, new Uri(connectionString), builder.Configuration));
                rabbit.ConfigureEndpoints(context);
            });
        });

        // The bus's entry does not notice a lost broker in a service without consumers: ask the broker itself.
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            BrokerProbe.Name,
            _ => new BrokerProbe(new Uri(connectionString)),
            failureStatus: readyWithoutBroker ? HealthStatus.Degraded : HealthStatus.Unhealthy,
            tags: null));

        builder.Services.Configure<MassTransitHostOptions>(options =>
        {
            // The service reports ready only once it can publish and consume.
            options.WaitUntilStarted = true;
            options.StartTimeout = TimeSpan.FromSeconds(60);
            options.StopTimeout = TimeSpan.FromSeconds(15);
        });

        // Every queue's consumer lag, on the shared CareMessaging.Messaging meter.
        builder.Services.AddConsumeObserver<ConsumerLagObserver>();
        builder.Services.AddSingleton(new ServiceIdentity(serviceName));
        builder.Services.AddHostedService<ServiceStartedAnnouncer>();
        return builder;
    }
}
