using CareMessaging.Contracts.Operations;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CareMessaging.ServiceDefaults;

/// <summary>The resource name of the running service and this replica's instance id.</summary>
public sealed record ServiceIdentity(string Name)
{
    public string InstanceId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";
}

/// <summary>Publishes <see cref="ServiceStarted"/> once the bus is up.</summary>
internal sealed partial class ServiceStartedAnnouncer(
    IBus bus,
    ServiceIdentity identity,
    TimeProvider clock,
    ILogger<ServiceStartedAnnouncer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new ServiceStarted
        {
            EventId = Guid.CreateVersion7(),
            OccurredAt = clock.GetUtcNow(),
            Service = identity.Name,
            InstanceId = identity.InstanceId,
        };
        await bus.Publish(started, stoppingToken);
        LogAnnounced(logger, identity.Name, identity.InstanceId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Service {Service} instance {InstanceId} announced its start")]
    private static partial void LogAnnounced(ILogger logger, string service, string instanceId);
}
