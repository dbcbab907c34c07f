using CareMessaging.Contracts.Identity;
using MassTransit;

namespace CareMessaging.Gateway.Sessions;

/// <summary>Publishes how sessions end, for the audit trail: ids only.</summary>
public sealed class SessionAudit(IPublishEndpoint bus, TimeProvider clock)
{
    public Task SignedOutAsync(string userId, string sessionId, bool everywhere) =>
        bus.Publish(new SignedOut
        {
            EventId = Guid.CreateVersion7(),
            OccurredAt = clock.GetUtcNow(),
            UserId = userId,
            SessionId = sessionId,
            Everywhere = everywhere,
        });

    public Task EndedAsync(string userId, string sessionId, SessionEndReason reason) =>
        bus.Publish(new SessionEnded
        {
            EventId = Guid.CreateVersion7(),
            OccurredAt = clock.GetUtcNow(),
            UserId = userId,
            SessionId = sessionId,
            Reason = reason,
        });

    public Task RevokedAsync(string userId, string sessionId, string revokedBy) =>
        bus.Publish(new SessionRevoked
        {
            EventId = Guid.CreateVersion7(),
            OccurredAt = clock.GetUtcNow(),
            UserId = userId,
            SessionId = sessionId,
            RevokedBy = revokedBy,
        });
}
