using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using MassTransit;

namespace CareMessaging.Audit.Recording;

/// <summary>Records a conversation being resolved, archived or reopened.</summary>
public sealed class ConversationStatusChangedConsumer(AuditTrail trail) : IConsumer<ConversationStatusChanged>
{
    public Task Consume(ConsumeContext<ConversationStatusChanged> context)
    {
        var e = context.Message;
        return trail.AppendAsync(new AuditEntry
        {
            Action = AuditActions.ConversationStatusChanged,
            EventId = e.EventId,
            OccurredAt = e.OccurredAt,
            ActorId = e.ActorId,
            ActorRole = e.ActorRole,
            SourceService = AuditEntry.SourceOf(context, ResourceNames.Conversation),
            PatientId = e.PatientId,
            ConversationId = e.ConversationId,
            CorrelationId = AuditEntry.CorrelationOf(null),
            Details = new { From = e.PreviousStatus.ToString(), To = e.Status.ToString() },
        }, context.CancellationToken);
    }
}
