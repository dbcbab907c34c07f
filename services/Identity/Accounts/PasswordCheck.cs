using CareMessaging.Contracts.Identity;
using CareMessaging.Identity.Telemetry;
using Microsoft.AspNetCore.Identity;

namespace CareMessaging.Identity.Accounts;

/// <summary>The outcome of a password check, as the sign-in page needs it.</summary>
public enum PasswordOutcome
{
    SignedIn,
    NeedsSecondFactor,
    Refused,

    /// <summary>Too many failures for this name from this address: it waits (<see cref="SignInThrottle"/>).</summary>
    Throttled,
}

/// <summary>
/// Checks a user name and password the same way whether or not the account exists: an unknown
/// user or a locked account still costs one password hash, so neither the answer nor its timing
/// tells an attacker which accounts exist. Failures never lock the account: they slow down the
/// address they come from (<see cref="SignInThrottle"/>, docs/decisions/0026), so someone who knows a
/// user name cannot keep its owner out or end the owner's sessions. An account an administrator
/// locked (its lockout end set) stays refused.
/// </summary>
public sealed class PasswordCheck(
    UserManager<IdentityUser> users,
    SignInManager<IdentityUser> signIn,
    IPasswordHasher<IdentityUser> hasher,
    SignInThrottle throttle,
    SignInAudit audit,
    IdentityTelemetry telemetry)
{
    private static readonly IdentityUser Nobody = new("nobody");
    private static string? _nobodyHash;

    public async Task<PasswordOutcome> CheckAsync(string userName, string password, string? clientAddress)
    {
        if (await throttle.BlockedUntilAsync(userName, clientAddress) is not null)
        {
            telemetry.RefusedWhileThrottled();
            return PasswordOutcome.Throttled;
        }

        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            SpendOneHash(password);
            await throttle.RecordFailureAsync(userName, clientAddress, userId: null);
            await audit.FailedAsync(null, SignInFailure.BadCredentials);
            return PasswordOutcome.Refused;
        }

        if (await users.IsLockedOutAsync(user))
        {
            SpendOneHash(password);
        }

        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: false);
        if (result.Succeeded || result.RequiresTwoFactor)
        {
            await throttle.RecordSuccessAsync(userName, clientAddress);
            return result.Succeeded ? PasswordOutcome.SignedIn : PasswordOutcome.NeedsSecondFactor;
        }

        if (!result.IsLockedOut && !result.IsNotAllowed)
        {
            await throttle.RecordFailureAsync(userName, clientAddress, user.Id);
        }

        await audit.FailedAsync(user.Id, result.IsLockedOut ? SignInFailure.LockedOut : result.IsNotAllowed ? SignInFailure.NotAllowed : SignInFailure.BadCredentials);
        return PasswordOutcome.Refused;
    }

    private void SpendOneHash(string password)
    {
        _nobodyHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString());
        hasher.VerifyHashedPassword(Nobody, _nobodyHash, password);
    }
}
