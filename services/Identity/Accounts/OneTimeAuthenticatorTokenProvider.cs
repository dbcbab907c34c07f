using CareMessaging.Identity.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OtpNet;

namespace CareMessaging.Identity.Accounts;

/// <summary>
/// Identity's authenticator (TOTP) provider with one change: each time step is accepted once per
/// account. The matching step is claimed with one conditional upsert, so of two sign-ins racing
/// with the same code exactly one wins; a replayed code fails like a wrong one, and counts towards
/// lockout like one. Registered under Identity's authenticator provider name, so the sign-in code
/// page and the enrolment confirmation both go through it.
/// </summary>
public sealed class OneTimeAuthenticatorTokenProvider(AccountsDbContext db, TimeProvider clock) : IUserTwoFactorTokenProvider<IdentityUser>
{
    /// <summary>Steps either side of now that are accepted, as Identity's own provider does (±90 s of clock drift).</summary>
    private static readonly VerificationWindow Drift = new(previous: 2, future: 2);

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<IdentityUser> manager, IdentityUser user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    /// <summary>The code comes from the user's app, never from the server.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<IdentityUser> manager, IdentityUser user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<IdentityUser> manager, IdentityUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrWhiteSpace(key) || token is not { Length: 6 } || !token.All(char.IsAsciiDigit))
        {
            return false;
        }

        var totp = new Totp(Base32Encoding.ToBytes(key));
        if (!totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, token, out var step, Drift))
        {
            return false;
        }

        return await ClaimStepAsync(user.Id, step);
    }

    /// <summary>
    /// Records <paramref name="step"/> as the account's newest used step, if it is newer than the one
    /// recorded. Returns false when it is not: the code was used already (or an older one was tried
    /// after a newer one). The row lock taken by the upsert makes a concurrent claim of the same step
    /// wait and then find the step no longer newer.
    /// </summary>
    private async Task<bool> ClaimStepAsync(string userId, long step) =>
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO authenticator_steps (user_id, last_step) VALUES ({userId}, {step})
            ON CONFLICT (user_id) DO UPDATE SET last_step = EXCLUDED.last_step
            WHERE authenticator_steps.last_step < EXCLUDED.last_step
            """) == 1;
}
