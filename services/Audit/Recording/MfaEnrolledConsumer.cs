using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Identity;
using MassTransit;

namespace CareMessaging.Audit.Recording;

/// <summary>Records a user enrolling an authenticator app.</summary>
public sealed class MfaEnrolledConsumer(AuditTrail trail) : IConsumer<MfaEnrolled>
{
    public Task Consume(ConsumeContext<MfaEnrolled> context)
    {
        var e = context.Message;
        return trail.AppendAsync(new AuditEntry
        {
            Action = AuditActions.MfaEnrolled,
            EventId = e.EventId,
            OccurredAt = e.OccurredAt,
            SourceService = AuditEntry.SourceOf(context, ResourceNames.Identity),
            CorrelationId = AuditEntry.CorrelationOf(null),
            ActorId = e.UserId,
            ActorRole = AuditEntry.UnknownRole,
        }, context.CancellationToken);
    }
}
