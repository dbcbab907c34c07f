using CareMessaging.Contracts.Identity;
using CareMessaging.Identity.Telemetry;
using CareMessaging.ServiceDefaults;
using MassTransit;

namespace CareMessaging.Identity.Accounts;

/// <summary>
/// Publishes the sign-in events for the audit trail, and counts them (<see cref="IdentityTelemetry"/>).
/// Ids, reasons and the client address only: never a user name typed by someone, a password or a code.
/// </summary>
public sealed class SignInAudit(IPublishEndpoint bus, TimeProvider clock, IHttpContextAccessor http, IdentityTelemetry telemetry)
{
    // Read after the forwarded-headers middleware has applied the gateway's X-Forwarded-For.
    private string? ClientIp => ClientAddress.Of(http.HttpContext);

    public Task SucceededAsync(string userId, string role, string sessionId, bool multiFactor)
    {
        telemetry.SignedIn(multiFactor);
        return bus.Publish(new SignInSucceeded
        {
            EventId = Guid.CreateVersion7(),
            OccurredAt = clock.GetUtcNow(),
            UserId = userId,
            Role = role,
            SessionId = sessionId,
            MultiFactor = multiFactor,
            ClientIp = ClientIp,
        });
    }

    public Task FailedAsync(string? userId, SignInFailure reason)
    {
        telemetry.SignInFailed(reason);
        return bus.Publish(new SignInFailed
        {
            EventId = Guid.CreateVersion7(),
            OccurredAt = clock.GetUtcNow(),
            UserId = userId,
            Reason = reason,
            ClientIp = ClientIp,
        });
    }

    public Task LockedOutAsync(string userId, DateTimeOffset lockedUntil)
    {
        telemetry.LockedOut();
        return bus.Publish(new AccountLockedOut
        {
            EventId = Guid.CreateVersion7(),
            OccurredAt = clock.GetUtcNow(),
            UserId = userId,
            LockedUntil = lockedUntil,
            ClientIp = ClientIp,
        });
    }

    public Task MfaEnrolledAsync(string userId) =>
        bus.Publish(new MfaEnrolled { EventId = Guid.CreateVersion7(), OccurredAt = clock.GetUtcNow(), UserId = userId });
}
