using System.Security.Cryptography;
using System.Text;
using CareMessaging.Contracts.Identity;
using CareMessaging.Identity.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CareMessaging.Identity.Enrolment;

/// <summary>What checking an enrolment code found; <see cref="IssuedBy"/> is set when it is valid.</summary>
public sealed record EnrolmentCodeCheck(EnrolmentCodeRefusal? Refusal, string? IssuedBy);

/// <summary>
/// Issues, checks and spends the one-time codes that bind authenticator enrolment to an
/// administrator (docs/decisions/0029). A code is 20 characters of Crockford's base32 (100 random
/// bits) in groups of four: typed from a phone call or a printed slip, and beyond guessing even
/// before the sign-in throttle slows guesses down, so a fast hash is enough to store it.
/// </summary>
public sealed class EnrolmentCodes(AccountsDbContext db, IOptions<EnrolmentSettings> settings, TimeProvider clock)
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int Length = 20;

    /// <summary>A new code for <paramref name="userId"/>, replacing any code issued before; the code itself is returned once and kept nowhere.</summary>
    public async Task<(string Code, DateTimeOffset ExpiresAt, bool ReplacedEarlierCode)> IssueAsync(string userId, string issuedBy)
    {
        var code = string.Join('-', RandomNumberGenerator.GetString(Alphabet, Length).Chunk(4).Select(group => new string(group)));
        var now = clock.GetUtcNow();
        var expiresAt = now + settings.Value.CodeLifetime;
        var hash = Hash(userId, Normalise(code)!);
        // One statement, so that two administrators issuing at once leave exactly one code and neither fails.
        var replaced = await db.Database.SqlQuery<bool>($"""
            WITH earlier AS (SELECT used_at IS NULL AND expires_at > {now} AS open FROM enrolment_codes WHERE user_id = {userId})
            INSERT INTO enrolment_codes (user_id, code_hash, issued_by, issued_at, expires_at, used_at)
            VALUES ({userId}, {hash}, {issuedBy}, {now}, {expiresAt}, NULL)
            ON CONFLICT (user_id) DO UPDATE SET code_hash = EXCLUDED.code_hash, issued_by = EXCLUDED.issued_by,
                issued_at = EXCLUDED.issued_at, expires_at = EXCLUDED.expires_at, used_at = NULL
            RETURNING COALESCE((SELECT open FROM earlier), FALSE) AS "Value"
            """).ToListAsync();
        return (code, expiresAt, replaced.Single());
    }

    /// <summary>Whether <paramref name="code"/> would enrol <paramref name="userId"/> now; spends nothing.</summary>
    public async Task<EnrolmentCodeCheck> CheckAsync(string userId, string? code)
    {
        var normalised = Normalise(code);
        var issued = normalised is null ? null : await db.EnrolmentCodes.AsNoTracking().FirstOrDefaultAsync(c => c.UserId == userId);
        if (issued is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(issued.CodeHash), Encoding.ASCII.GetBytes(Hash(userId, normalised!))))
        {
            return new(EnrolmentCodeRefusal.Wrong, null);
        }

        if (issued.UsedAt is not null)
        {
            return new(EnrolmentCodeRefusal.AlreadyUsed, null);
        }

        return issued.ExpiresAt <= clock.GetUtcNow() ? new(EnrolmentCodeRefusal.Expired, null) : new(null, issued.IssuedBy);
    }

    /// <summary>Spends the code; false when it was spent, replaced or expired meanwhile (of two racing enrolments one wins).</summary>
    public async Task<bool> SpendAsync(string userId, string? code)
    {
        if (Normalise(code) is not { } normalised)
        {
            return false;
        }

        var hash = Hash(userId, normalised);
        var now = clock.GetUtcNow();
        return await db.EnrolmentCodes
            .Where(c => c.UserId == userId && c.CodeHash == hash && c.UsedAt == null && c.ExpiresAt > now)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.UsedAt, now)) == 1;
    }

    /// <summary>
    /// Upper case without separators, with the letters people confuse with digits read as the digits
    /// (Crockford: I and L are 1, O is 0); null when it cannot be a code.
    /// </summary>
    private static string? Normalise(string? code)
    {
        if (code is null || code.Length > 64)
        {
            return null;
        }

        var normalised = new StringBuilder(Length);
        foreach (var character in code)
        {
            var c = char.ToUpperInvariant(character);
            if (c is '-' or ' ')
            {
                continue;
            }

            c = c switch { 'I' or 'L' => '1', 'O' => '0', _ => c };
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return null;
            }

            normalised.Append(c);
        }

        return normalised.Length == Length ? normalised.ToString() : null;
    }

    // The account id is hashed in, so a code is worth nothing for any other account.
    private static string Hash(string userId, string normalisedCode) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}\n{normalisedCode}")));
}
