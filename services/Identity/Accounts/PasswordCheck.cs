using CareMessaging.Contracts.Identity;
using Microsoft.AspNetCore.Identity;

namespace CareMessaging.Identity.Accounts;

/// <summary>The outcome of a password check, as the sign-in page needs it.</summary>
public enum PasswordOutcome
{
    SignedIn,
    NeedsSecondFactor,
    Refused,
}

/// <summary>
/// Checks a user name and password the same way whether or not the account exists: an unknown
/// user or a locked account still costs one password hash, so neither the answer nor its timing
/// tells an attacker which accounts exist. Failures count towards lockout.
/// </summary>
public sealed class PasswordCheck(
    UserManager<IdentityUser> users,
    SignInManager<IdentityUser> signIn,
    IPasswordHasher<IdentityUser> hasher,
    SignInAudit audit)
{
    private static readonly IdentityUser Nobody = new("nobody");
    private static string? _nobodyHash;

    public async Task<PasswordOutcome> CheckAsync(string userName, string password)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            SpendOneHash(password);
            await audit.FailedAsync(null, SignInFailure.BadCredentials);
            return PasswordOutcome.Refused;
        }

        var lockedBefore = await users.IsLockedOutAsync(user);
        if (lockedBefore)
        {
            SpendOneHash(password);
        }

        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return PasswordOutcome.SignedIn;
        }

        if (result.RequiresTwoFactor)
        {
            return PasswordOutcome.NeedsSecondFactor;
        }

        if (result.IsLockedOut)
        {
            if (!lockedBefore && await users.GetLockoutEndDateAsync(user) is { } until)
            {
                await audit.LockedOutAsync(user.Id, until);
            }

            await audit.FailedAsync(user.Id, SignInFailure.LockedOut);
        }
        else
        {
            await audit.FailedAsync(user.Id, result.IsNotAllowed ? SignInFailure.NotAllowed : SignInFailure.BadCredentials);
        }

        return PasswordOutcome.Refused;
    }

    private void SpendOneHash(string password)
    {
        _nobodyHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString());
        hasher.VerifyHashedPassword(Nobody, _nobodyHash, password);
    }
}
