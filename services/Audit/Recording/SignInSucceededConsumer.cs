using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Identity;
using MassTransit;

namespace CareMessaging.Audit.Recording;

/// <summary>Records a successful sign-in.</summary>
public sealed class SignInSucceededConsumer(AuditTrail trail) : IConsumer<SignInSucceeded>
{
    public Task Consume(ConsumeContext<SignInSucceeded> context)
    {
        var e = context.Message;
        return trail.AppendAsync(new AuditEntry
        {
            Action = AuditActions.SignInSucceeded,
            EventId = e.EventId,
            OccurredAt = e.OccurredAt,
            SourceService = AuditEntry.SourceOf(context, ResourceNames.Identity),
            CorrelationId = AuditEntry.CorrelationOf(null),
            ActorId = e.UserId,
            ActorRole = e.Role,
            ClientIp = e.ClientIp,
            Details = new { e.SessionId, e.MultiFactor },
        }, context.CancellationToken);
    }
}
