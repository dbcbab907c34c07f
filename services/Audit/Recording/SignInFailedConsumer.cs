using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Identity;
using MassTransit;

namespace CareMessaging.Audit.Recording;

/// <summary>Records a failed sign-in; the actor is unknown when no account matched.</summary>
public sealed class SignInFailedConsumer(AuditTrail trail) : IConsumer<SignInFailed>
{
    public Task Consume(ConsumeContext<SignInFailed> context)
    {
        var e = context.Message;
        return trail.AppendAsync(new AuditEntry
        {
            Action = AuditActions.SignInFailed,
            EventId = e.EventId,
            OccurredAt = e.OccurredAt,
            SourceService = AuditEntry.SourceOf(context, ResourceNames.Identity),
            CorrelationId = AuditEntry.CorrelationOf(null),
            ActorId = e.UserId ?? AuditEntry.UnknownActor,
            ActorRole = AuditEntry.UnknownRole,
            ClientIp = e.ClientIp,
            Details = new { Reason = e.Reason.ToString() },
        }, context.CancellationToken);
    }
}
