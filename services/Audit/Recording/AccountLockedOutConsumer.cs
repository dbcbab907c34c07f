using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Identity;
using MassTransit;

namespace CareMessaging.Audit.Recording;

/// <summary>Records an account being locked after too many failed sign-ins.</summary>
public sealed class AccountLockedOutConsumer(AuditTrail trail) : IConsumer<AccountLockedOut>
{
    public Task Consume(ConsumeContext<AccountLockedOut> context)
    {
        var e = context.Message;
        return trail.AppendAsync(new AuditEntry
        {
            Action = AuditActions.AccountLockedOut,
            EventId = e.EventId,
            OccurredAt = e.OccurredAt,
            SourceService = AuditEntry.SourceOf(context, ResourceNames.Identity),
            CorrelationId = AuditEntry.CorrelationOf(null),
            ActorId = e.UserId,
            ActorRole = AuditEntry.UnknownRole,
            ClientIp = e.ClientIp,
            Details = new { e.LockedUntil },
        }, context.CancellationToken);
    }
}
