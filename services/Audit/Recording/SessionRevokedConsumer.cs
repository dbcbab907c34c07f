using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Identity;
using MassTransit;

namespace CareMessaging.Audit.Recording;

/// <summary>Records a session ended by its owner elsewhere or by an administrator; the actor is who revoked it.</summary>
public sealed class SessionRevokedConsumer(AuditTrail trail) : IConsumer<SessionRevoked>
{
    public Task Consume(ConsumeContext<SessionRevoked> context)
    {
        var e = context.Message;
        return trail.AppendAsync(new AuditEntry
        {
            Action = AuditActions.SessionRevoked,
            EventId = e.EventId,
            OccurredAt = e.OccurredAt,
            SourceService = AuditEntry.SourceOf(context, ResourceNames.Identity),
            CorrelationId = AuditEntry.CorrelationOf(null),
            ActorId = e.RevokedBy,
            ActorRole = AuditEntry.UnknownRole,
            Details = new { SessionOwner = e.UserId, e.SessionId },
        }, context.CancellationToken);
    }
}
