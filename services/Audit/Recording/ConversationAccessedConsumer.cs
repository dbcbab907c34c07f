using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using MassTransit;

namespace CareMessaging.Audit.Recording;

/// <summary>Records a view of a conversation's thread: the entries behind "who viewed this patient's messages".</summary>
public sealed class ConversationAccessedConsumer(AuditTrail trail) : IConsumer<ConversationAccessed>
{
    public Task Consume(ConsumeContext<ConversationAccessed> context)
    {
        var e = context.Message;
        return trail.AppendAsync(new AuditEntry
        {
            Action = AuditActions.ConversationViewed,
            EventId = e.EventId,
            OccurredAt = e.OccurredAt,
            ActorId = e.ActorId,
            ActorRole = e.ActorRole,
            SourceService = AuditEntry.SourceOf(context, ResourceNames.Conversation),
            PatientId = e.PatientId,
            ConversationId = e.ConversationId,
            CorrelationId = AuditEntry.CorrelationOf(e.CorrelationId),
            ClientIp = e.ClientIp,
            Details = new { e.CareTeamId },
        }, context.CancellationToken);
    }
}
