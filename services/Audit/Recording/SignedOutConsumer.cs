using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Identity;
using MassTransit;

namespace CareMessaging.Audit.Recording;

/// <summary>Records a sign-out of one session or of all of them.</summary>
public sealed class SignedOutConsumer(AuditTrail trail) : IConsumer<SignedOut>
{
    public Task Consume(ConsumeContext<SignedOut> context)
    {
        var e = context.Message;
        return trail.AppendAsync(new AuditEntry
        {
            Action = AuditActions.SignedOut,
            EventId = e.EventId,
            OccurredAt = e.OccurredAt,
            SourceService = AuditEntry.SourceOf(context, ResourceNames.Identity),
            CorrelationId = AuditEntry.CorrelationOf(null),
            ActorId = e.UserId,
            ActorRole = AuditEntry.UnknownRole,
            Details = new { e.SessionId, e.Everywhere },
        }, context.CancellationToken);
    }
}
