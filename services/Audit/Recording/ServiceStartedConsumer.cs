using CareMessaging.Audit.Trail;
using CareMessaging.Contracts.Operations;
using MassTransit;

namespace CareMessaging.Audit.Recording;

/// <summary>Records service starts as application-activity entries of the trail (ADR 0003).</summary>
public sealed class ServiceStartedConsumer(AuditTrail trail) : IConsumer<ServiceStarted>
{
    public Task Consume(ConsumeContext<ServiceStarted> context)
    {
        var e = context.Message;
        return trail.AppendAsync(new AuditEntry
        {
            Action = AuditActions.ServiceStarted,
            EventId = e.EventId,
            OccurredAt = e.OccurredAt,
            ActorId = $"service:{e.Service}/{e.InstanceId}",
            ActorRole = AuditEntry.SystemRole,
            SourceService = e.Service,
            CorrelationId = AuditEntry.CorrelationOf(null),
        }, context.CancellationToken);
    }
}
