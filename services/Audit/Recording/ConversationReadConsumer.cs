using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using MassTransit;

namespace CareMessaging.Audit.Recording;

/// <summary>Records a reader moving their read horizon.</summary>
public sealed class ConversationReadConsumer(AuditTrail trail) : IConsumer<ConversationRead>
{
    public Task Consume(ConsumeContext<ConversationRead> context)
    {
        var e = context.Message;
        return trail.AppendAsync(new AuditEntry
        {
            Action = AuditActions.ConversationRead,
            EventId = e.EventId,
            OccurredAt = e.OccurredAt,
            ActorId = e.ActorId,
            ActorRole = e.ActorRole,
            SourceService = AuditEntry.SourceOf(context, ResourceNames.Conversation),
            PatientId = e.PatientId,
            ConversationId = e.ConversationId,
            CorrelationId = AuditEntry.CorrelationOf(null),
            Details = new { e.ReadUpToSequence },
        }, context.CancellationToken);
    }
}
