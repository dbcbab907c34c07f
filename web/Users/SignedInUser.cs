using System.Security.Claims;
using CareMessaging.Contracts;

namespace CareMessaging.Web.Users;

/// <summary>The signed-in person as the pages need them, read from the access token's claims.</summary>
public sealed record SignedInUser(string Subject, string Name, string Role, IReadOnlyList<string> CareTeams, string? PatientId)
{
    public bool IsStaff => Roles.CareTeamRoles.Contains(Role);

    public bool IsPatient => Role == Roles.Patient && PatientId is not null;

    /// <summary>Where this person's work starts.</summary>
    public string HomePath => IsStaff ? "/inbox" : IsPatient ? "/portal" : "/account";

    public string RoleDisplayName => Role switch
    {
        Roles.Clinician => "Clinician",
        Roles.Nurse => "Nurse",
        Roles.Staff => "Care team staff",
        Roles.Admin => "Administrator",
        Roles.Compliance => "Compliance",
        Roles.Patient => "Patient",
        _ => Role,
    };

    public static SignedInUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var roles = principal.FindAll(CareMessagingClaims.Role).Select(claim => claim.Value).ToList();
        var role = roles.FirstOrDefault(Roles.CareTeamRoles.Contains)
            ?? roles.FirstOrDefault(r => r == Roles.Patient)
            ?? roles.FirstOrDefault()
            ?? string.Empty;
        return new SignedInUser(
            principal.FindFirstValue(CareMessagingClaims.Subject) ?? string.Empty,
            principal.FindFirstValue(CareMessagingClaims.Name) ?? "Signed in",
            role,
            principal.FindAll(CareMessagingClaims.CareTeam).Select(claim => claim.Value).Distinct().ToList(),
            principal.FindFirstValue(CareMessagingClaims.PatientId));
    }
}
