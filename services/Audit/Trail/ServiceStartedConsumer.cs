using CareMessaging.Audit.Data;
using CareMessaging.Contracts.Operations;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Audit.Trail;

/// <summary>Records service starts as application-activity entries of the trail.</summary>
public sealed class ServiceStartedConsumer(AuditDbContext db, TimeProvider clock) : IConsumer<ServiceStarted>
{
    public async Task Consume(ConsumeContext<ServiceStarted> context)
    {
        var started = context.Message;
        if (await db.Records.AnyAsync(r => r.EventId == started.EventId, context.CancellationToken))
        {
            return;
        }

        db.Records.Add(new AuditRecord
        {
            EventId = started.EventId,
            OccurredAt = started.OccurredAt,
            RecordedAt = clock.GetUtcNow(),
            Action = AuditActions.ServiceStarted,
            ActorId = $"service:{started.Service}/{started.InstanceId}",
            ActorRole = "system",
            SourceService = started.Service,
        });
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
