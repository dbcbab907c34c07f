using System.Security.Claims;
using CareMessaging.Contracts.Conversations;

namespace CareMessaging.Contracts;

/// <summary>What the caller is to the conversation rules: a care-team member, a patient, or neither.</summary>
public enum CallerKind
{
    /// <summary>Takes part in no conversation: compliance, administrators, service clients, or a token without the claims.</summary>
    None,
    Staff,
    Patient,
}

/// <summary>
/// The signed-in caller, read once from a token's claims, the same way in every service and the
/// web front end. A token with a care-team role (clinician, nurse, staff) is staff, even when it also
/// says patient: the work account's rules win, so a person holding both roles is the same kind of
/// caller everywhere. A patient needs the <c>patient_id</c> claim as well; anyone else is
/// <see cref="CallerKind.None"/> and sees no conversation.
/// </summary>
public sealed record CareMessagingCaller
{
    /// <summary>The user id (<c>sub</c>); empty when the token has none.</summary>
    public required string UserId { get; init; }

    public string? Name { get; init; }

    /// <summary>
    /// The role the caller acts in, as audit records name it: the care-team role for staff,
    /// <c>patient</c> for a patient, otherwise the token's first role (or empty).
    /// </summary>
    public required string Role { get; init; }

    /// <summary>Every role the token holds, for role checks (compliance, admin) that do not depend on <see cref="Kind"/>.</summary>
    public required IReadOnlyList<string> Roles { get; init; }

    public required CallerKind Kind { get; init; }

    /// <summary>The care teams of a staff caller (empty for everyone else).</summary>
    public required IReadOnlyList<string> CareTeams { get; init; }

    /// <summary>The patient ID of a patient caller (null for everyone else).</summary>
    public string? PatientId { get; init; }

    /// <summary>The gateway session the token belongs to (<c>sid</c>), when it has one.</summary>
    public string? SessionId { get; init; }

    public bool IsStaff => Kind == CallerKind.Staff;

    public bool IsPatient => Kind == CallerKind.Patient;

    /// <summary>How a message this caller sends is labelled.</summary>
    public SenderKind SenderKind => IsPatient ? SenderKind.Patient : SenderKind.Staff;

    public bool HasRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    public static CareMessagingCaller From(ClaimsPrincipal user)
    {
        var roles = user.FindAll(CareMessagingClaims.Role).Select(claim => claim.Value).Distinct(StringComparer.Ordinal).ToList();
        var common = new
        {
            UserId = user.FindFirst(CareMessagingClaims.Subject)?.Value ?? string.Empty,
            Name = user.FindFirst(CareMessagingClaims.Name)?.Value,
            SessionId = user.FindFirst(CareMessagingClaims.SessionId)?.Value,
        };

        if (roles.FirstOrDefault(role => Contracts.Roles.CareTeamRoles.Contains(role)) is { } staffRole)
        {
            return new CareMessagingCaller
            {
                UserId = common.UserId,
                Name = common.Name,
                SessionId = common.SessionId,
                Role = staffRole,
                Roles = roles,
                Kind = CallerKind.Staff,
                CareTeams = user.FindAll(CareMessagingClaims.CareTeam).Select(claim => claim.Value).Distinct(StringComparer.Ordinal).ToList(),
            };
        }

        var patientId = user.FindFirst(CareMessagingClaims.PatientId)?.Value;
        var isPatient = roles.Contains(Contracts.Roles.Patient) && !string.IsNullOrEmpty(patientId);
        return new CareMessagingCaller
        {
            UserId = common.UserId,
            Name = common.Name,
            SessionId = common.SessionId,
            Role = isPatient ? Contracts.Roles.Patient : roles.FirstOrDefault() ?? string.Empty,
            Roles = roles,
            Kind = isPatient ? CallerKind.Patient : CallerKind.None,
            CareTeams = [],
            PatientId = isPatient ? patientId : null,
        };
    }
}
