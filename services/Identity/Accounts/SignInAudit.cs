using CareMessaging.Contracts.Identity;
using CareMessaging.Identity.Telemetry;
using CareMessaging.ServiceDefaults;
using CareMessaging.ServiceDefaults.Outages;
using MassTransit;

namespace CareMessaging.Identity.Accounts;

/// <summary>
/// Publishes the sign-in and enrolment events for the audit trail, and counts them (<see cref="IdentityTelemetry"/>).
/// Ids, reasons and the client address only: never a user name typed by someone, a password or a code.
/// While the broker cannot take an event the sign-in step is a 503 after a bounded wait, never one the
/// trail misses (ADR 0059).
/// </summary>
public sealed class SignInAudit(IPublishEndpoint bus, TimeProvider clock, IHttpContextAccessor http, IdentityTelemetry telemetry)
{
    // Read after the forwarded-headers middleware has applied the gateway's X-Forwarded-For.
    private string? ClientIp => ClientAddress.Of(http.HttpContext);

    public Task SucceededAsync(string userId, string role, string sessionId, bool multiFactor)
    {
        telemetry.SignedIn(multiFactor);
        return bus.PublishWithinTimeoutAsync(new SignInSucceeded
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
        return bus.PublishWithinTimeoutAsync(new SignInFailed
        {
            EventId = Guid.CreateVersion7(),
            OccurredAt = clock.GetUtcNow(),
            UserId = userId,
            Reason = reason,
            ClientIp = ClientIp,
        });
    }

    public Task MfaEnrolledAsync(string userId) =>
        bus.PublishWithinTimeoutAsync(new MfaEnrolled { EventId = Guid.CreateVersion7(), OccurredAt = clock.GetUtcNow(), UserId = userId });

    public Task EnrolmentCodeIssuedAsync(string userId, string issuedBy, DateTimeOffset expiresAt, bool replacedEarlierCode) =>
        bus.PublishWithinTimeoutAsync(new EnrolmentCodeIssued
        {
            EventId = Guid.CreateVersion7(),
            OccurredAt = clock.GetUtcNow(),
            UserId = userId,
            IssuedBy = issuedBy,
            ExpiresAt = expiresAt,
            ReplacedEarlierCode = replacedEarlierCode,
        });

    public Task EnrolmentCodeUsedAsync(string userId, string issuedBy) =>
        bus.PublishWithinTimeoutAsync(new EnrolmentCodeUsed
        {
            EventId = Guid.CreateVersion7(), OccurredAt = clock.GetUtcNow(), UserId = userId, IssuedBy = issuedBy, ClientIp = ClientIp,
        });

    public Task EnrolmentCodeRefusedAsync(string userId, EnrolmentCodeRefusal reason) =>
        bus.PublishWithinTimeoutAsync(new EnrolmentCodeRefused
        {
            EventId = Guid.CreateVersion7(), OccurredAt = clock.GetUtcNow(), UserId = userId, Reason = reason, ClientIp = ClientIp,
        });

    public Task AuthenticatorResetAsync(string userId, string resetBy) =>
        bus.PublishWithinTimeoutAsync(new AuthenticatorReset { EventId = Guid.CreateVersion7(), OccurredAt = clock.GetUtcNow(), UserId = userId, ResetBy = resetBy });
}
