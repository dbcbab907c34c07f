using System.Diagnostics.Metrics;
using CareMessaging.Contracts.Identity;
using CareMessaging.ServiceDefaults.Telemetry;

namespace CareMessaging.Identity.Telemetry;

/// <summary>
/// The Identity service's meter (<c>CareMessaging.Identity</c>): sign-ins by outcome and the waits
/// imposed on password guessing (the sign-in throttle, ADR 0026, which replaces lockouts). Outcomes only, never a user name or id. See docs/operations/metrics.md.
/// </summary>
public sealed class IdentityTelemetry
{
    public const string MeterName = "CareMessaging.Identity";
    public const string SignInsInstrument = "caremessaging.sign_ins";
    public const string ThrottlesInstrument = "caremessaging.sign_in.throttles";
    public const string Succeeded = "succeeded";

    private readonly Counter<long> _signIns;
    private readonly Counter<long> _throttles;

    public IdentityTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _signIns = meter.CreateCounter<long>(SignInsInstrument, "{sign_in}",
            "Sign-in attempts by outcome: succeeded, bad_credentials, throttled, mfa_code_rejected, not_allowed");
        _throttles = meter.CreateCounter<long>(ThrottlesInstrument, "{wait}",
            "Waits imposed on a user name at one address after too many failed attempts");
    }

    public void SignedIn(bool multiFactor) => _signIns.Add(1,
        new KeyValuePair<string, object?>(ProductTelemetry.Attributes.Outcome, Succeeded),
        new KeyValuePair<string, object?>("caremessaging.sign_in.multi_factor", multiFactor));

    public void SignInFailed(SignInFailure reason) =>
        _signIns.Add(1, new KeyValuePair<string, object?>(ProductTelemetry.Attributes.Outcome, ProductTelemetry.SnakeCase(reason.ToString())));

    /// <summary>An attempt refused unchecked because its user name and address are waiting.</summary>
    public void RefusedWhileThrottled() =>
        _signIns.Add(1, new KeyValuePair<string, object?>(ProductTelemetry.Attributes.Outcome, "throttled"));

    public void Throttled() => _throttles.Add(1);
}
