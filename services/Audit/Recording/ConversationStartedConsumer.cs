using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using MassTransit;

namespace CareMessaging.Audit.Recording;

/// <summary>Records the start of a conversation.</summary>
public sealed class ConversationStartedConsumer(AuditTrail trail) : IConsumer<ConversationStarted>
{
    public Task Consume(ConsumeContext<ConversationStarted> context)
    {
        var e = context.Message;
        return trail.AppendAsync(new AuditEntry
        {
            Action = AuditActions.ConversationStarted,
            EventId = e.EventId,
            OccurredAt = e.OccurredAt,
            ActorId = e.ActorId,
            ActorRole = e.ActorRole,
            SourceService = AuditEntry.SourceOf(context, ResourceNames.Conversation),
            PatientId = e.PatientId,
            ConversationId = e.ConversationId,
            CorrelationId = AuditEntry.CorrelationOf(null),
            Details = new { e.CareTeamId },
        }, context.CancellationToken);
    }
}
