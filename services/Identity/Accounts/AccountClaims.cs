using System.Security.Claims;
using CareMessaging.Contracts;
using Microsoft.AspNetCore.Identity;

namespace CareMessaging.Identity.Accounts;

/// <summary>What the stored account says about a user, in the claims contract's terms.</summary>
public sealed record AccountProfile(string UserId, string Name, string? Role, IReadOnlyList<string> CareTeams, string? PatientId)
{
    public static async Task<AccountProfile> LoadAsync(UserManager<IdentityUser> users, IdentityUser user)
    {
        var claims = await users.GetClaimsAsync(user);
        return new AccountProfile(
            user.Id,
            claims.FirstOrDefault(c => c.Type == CareMessagingClaims.Name)?.Value ?? user.UserName ?? user.Id,
            claims.FirstOrDefault(c => c.Type == CareMessagingClaims.Role)?.Value,
            [.. claims.Where(c => c.Type == CareMessagingClaims.CareTeam).Select(c => c.Value)],
            claims.FirstOrDefault(c => c.Type == CareMessagingClaims.PatientId)?.Value);
    }

    /// <summary>The claims every token carries: sub, name, role, one care_team per team, patient_id, sid.</summary>
    public IEnumerable<Claim> ToClaims(string sessionId)
    {
        yield return new Claim(CareMessagingClaims.Subject, UserId);
        yield return new Claim(CareMessagingClaims.Name, Name);
        if (Role is not null)
        {
            yield return new Claim(CareMessagingClaims.Role, Role);
        }

        foreach (var team in CareTeams)
        {
            yield return new Claim(CareMessagingClaims.CareTeam, team);
        }

        if (PatientId is not null)
        {
            yield return new Claim(CareMessagingClaims.PatientId, PatientId);
        }

        yield return new Claim(CareMessagingClaims.SessionId, sessionId);
    }
}
