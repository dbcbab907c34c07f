using System.Diagnostics.Metrics;
using CareMessaging.Contracts.Identity;
using CareMessaging.ServiceDefaults.Telemetry;

namespace CareMessaging.Identity.Telemetry;

/// <summary>
/// The Identity service's meter (<c>CareMessaging.Identity</c>): sign-ins by outcome and accounts
/// locked out. Outcomes only, never a user name or id. See docs/operations/metrics.md.
/// </summary>
public sealed class IdentityTelemetry
{
    public const string MeterName = "CareMessaging.Identity";
    public const string SignInsInstrument = "caremessaging.sign_ins";
    public const string LockoutsInstrument = "caremessaging.lockouts";
    public const string Succeeded = "succeeded";

    private readonly Counter<long> _signIns;
    private readonly Counter<long> _lockouts;

    public IdentityTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _signIns = meter.CreateCounter<long>(SignInsInstrument, "{sign_in}",
            "Sign-in attempts by outcome: succeeded, bad_credentials, locked_out, mfa_code_rejected, not_allowed");
        _lockouts = meter.CreateCounter<long>(LockoutsInstrument, "{lockout}",
            "Accounts locked out after too many failed attempts");
    }

    public void SignedIn(bool multiFactor) => _signIns.Add(1,
        new KeyValuePair<string, object?>(ProductTelemetry.Attributes.Outcome, Succeeded),
        new KeyValuePair<string, object?>("caremessaging.sign_in.multi_factor", multiFactor));

    public void SignInFailed(SignInFailure reason) =>
        _signIns.Add(1, new KeyValuePair<string, object?>(ProductTelemetry.Attributes.Outcome, ProductTelemetry.SnakeCase(reason.ToString())));

    public void LockedOut() => _lockouts.Add(1);
}
