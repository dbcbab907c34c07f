using CareMessaging.Contracts.Identity;
using CareMessaging.ServiceDefaults.Outages;
using MassTransit;

namespace CareMessaging.Gateway.Sessions;

/// <summary>
/// Publishes how sessions end, for the audit trail: ids only. While the broker cannot take an event
/// the request is a 503 after a bounded wait rather than one that hangs (ADR 0059).
/// </summary>
public sealed class SessionAudit(IPublishEndpoint bus, TimeProvider clock)
{
    public Task SignedOutAsync(string userId, string sessionId, bool everywhere) =>
        bus.PublishWithinTimeoutAsync(new SignedOut
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
        bus.PublishWithinTimeoutAsync(new SessionRevoked
        {
            EventId = Guid.CreateVersion7(),
            OccurredAt = clock.GetUtcNow(),
            UserId = userId,
            SessionId = sessionId,
            RevokedBy = revokedBy,
        });
}
