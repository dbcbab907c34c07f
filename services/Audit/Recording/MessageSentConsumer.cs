using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using MassTransit;

namespace CareMessaging.Audit.Recording;

/// <summary>Records who sent a message in which conversation (ids only, never the text).</summary>
public sealed class MessageSentConsumer(AuditTrail trail) : IConsumer<MessageSent>
{
    public Task Consume(ConsumeContext<MessageSent> context)
    {
        var e = context.Message;
        return trail.AppendAsync(new AuditEntry
        {
            Action = AuditActions.MessageSent,
            EventId = e.EventId,
            OccurredAt = e.OccurredAt,
            ActorId = e.ActorId,
            ActorRole = e.ActorRole,
            SourceService = AuditEntry.SourceOf(context, ResourceNames.Conversation),
            PatientId = e.PatientId,
            ConversationId = e.ConversationId,
            CorrelationId = AuditEntry.CorrelationOf(null),
            Details = new { e.MessageId, e.Sequence, SenderKind = e.SenderKind.ToString() },
        }, context.CancellationToken);
    }
}
