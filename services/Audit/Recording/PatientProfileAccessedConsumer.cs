using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using MassTransit;

namespace CareMessaging.Audit.Recording;

/// <summary>Records a view of a patient's profile.</summary>
public sealed class PatientProfileAccessedConsumer(AuditTrail trail) : IConsumer<PatientProfileAccessed>
{
    public Task Consume(ConsumeContext<PatientProfileAccessed> context)
    {
        var e = context.Message;
        return trail.AppendAsync(new AuditEntry
        {
            Action = AuditActions.PatientProfileViewed,
            EventId = e.EventId,
            OccurredAt = e.OccurredAt,
            ActorId = e.ActorId,
            ActorRole = e.ActorRole,
            SourceService = AuditEntry.SourceOf(context, ResourceNames.Conversation),
            PatientId = e.PatientId,
            CorrelationId = AuditEntry.CorrelationOf(e.CorrelationId),
            ClientIp = e.ClientIp,
            Details = new { e.CareTeamId },
        }, context.CancellationToken);
    }
}
