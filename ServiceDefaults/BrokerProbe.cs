using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CareMessaging.ServiceDefaults;

/// <summary>
/// Whether the broker accepts a connection, asked on every /health. MassTransit's own entry follows
/// the bus's receive endpoints, so a service that only publishes (the gateway, Identity) would stay
/// ready with the broker gone while its sign-ins and sign-outs got 503s. A refused or unanswered
/// connection reports the registration's failure status: Unhealthy for a service whose requests
/// publish, Degraded for one whose outbox or queues hold the events (<see cref="Microsoft.Extensions.Hosting.Messaging"/>).
/// </summary>
public sealed class BrokerProbe(Uri broker) : IHealthCheck
{
    /// <summary>The probe's entry in /health.</summary>
    public const string Name = "message-broker";

    private const int AmqpPort = 5672;
    private const int AmqpsPort = 5671;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var port = broker.Port > 0 ? broker.Port
            : string.Equals(broker.Scheme, "amqps", StringComparison.OrdinalIgnoreCase) ? AmqpsPort : AmqpPort;
        using var client = new TcpClient();
        try
        {
            // Bounded by the registration's timeout (Timeouts.HealthCheck).
            await client.ConnectAsync(broker.Host, port, cancellationToken);
            return HealthCheckResult.Healthy("The message broker accepts connections.");
        }
        catch (SocketException exception)
        {
            return new HealthCheckResult(
                context.Registration.FailureStatus,
                $"The message broker does not accept connections ({exception.SocketErrorCode}).");
        }
    }
}
