using System.Linq.Expressions;
using System.Security.Claims;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Patients;
using ConversationEntity = CareMessaging.Conversation.Conversations.Conversation;

namespace CareMessaging.Conversation.Access;

/// <summary>What kind of caller a token describes, as far as conversations are concerned.</summary>
public enum ViewerKind
{
    /// <summary>Sees nothing: other roles, or staff without a care team.</summary>
    None,
    Staff,
    Patient,
}

/// <summary>
/// The caller as the access rules see them, read from the token's claims: staff see the
/// conversations of their care teams' patients, a patient sees their own, anyone else nothing.
/// </summary>
public sealed record Viewer(string UserId, string Role, ViewerKind Kind, IReadOnlyList<string> CareTeams, string? PatientId, string? Name)
{
    public static Viewer From(ClaimsPrincipal user)
    {
        var userId = user.FindFirstValue(CareMessagingClaims.Subject) ?? string.Empty;
        var roles = user.FindAll(CareMessagingClaims.Role).Select(c => c.Value).ToList();
        var name = user.FindFirstValue(CareMessagingClaims.Name);

        if (roles.FirstOrDefault(r => Roles.CareTeamRoles.Contains(r)) is { } staffRole)
        {
            var teams = user.FindAll(CareMessagingClaims.CareTeam).Select(c => c.Value).Distinct().ToList();
            return new Viewer(userId, staffRole, teams.Count > 0 ? ViewerKind.Staff : ViewerKind.None, teams, null, name);
        }

        if (roles.Contains(Roles.Patient) && user.FindFirstValue(CareMessagingClaims.PatientId) is { Length: > 0 } patientId)
        {
            return new Viewer(userId, Roles.Patient, ViewerKind.Patient, [], patientId, name);
        }

        return new Viewer(userId, roles.FirstOrDefault() ?? string.Empty, ViewerKind.None, [], null, name);
    }

    public bool IsStaff => Kind == ViewerKind.Staff;

    public SenderKind SenderKind => Kind == ViewerKind.Patient ? SenderKind.Patient : SenderKind.Staff;

    /// <summary>The conversations this caller may see, as a query filter.</summary>
    public Expression<Func<ConversationEntity, bool>> CanSeeConversation()
    {
        var teams = CareTeams.ToList();
        var patientId = PatientId;
        return Kind switch
        {
            ViewerKind.Staff => c => teams.Contains(c.CareTeamId),
            ViewerKind.Patient => c => c.PatientId == patientId,
            _ => c => false,
        };
    }

    /// <summary>The patients this caller may see, as a query filter.</summary>
    public Expression<Func<Patient, bool>> CanSeePatient()
    {
        var teams = CareTeams.ToList();
        var patientId = PatientId;
        return Kind switch
        {
            ViewerKind.Staff => p => teams.Contains(p.CareTeamId),
            ViewerKind.Patient => p => p.PatientId == patientId,
            _ => p => false,
        };
    }

    public bool CanSee(ConversationEntity conversation) => Kind switch
    {
        ViewerKind.Staff => CareTeams.Contains(conversation.CareTeamId),
        ViewerKind.Patient => conversation.PatientId == PatientId,
        _ => false,
    };

    public bool CanSee(Patient patient) => Kind switch
    {
        ViewerKind.Staff => CareTeams.Contains(patient.CareTeamId),
        ViewerKind.Patient => patient.PatientId == PatientId,
        _ => false,
    };
}
