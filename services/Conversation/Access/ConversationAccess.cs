using System.Linq.Expressions;
using CareMessaging.Contracts;
using CareMessaging.Conversation.Patients;
using ConversationEntity = CareMessaging.Conversation.Conversations.Conversation;

namespace CareMessaging.Conversation.Access;

/// <summary>
/// Which conversations and patients a caller may see, the one copy of the rule (ADR 0013): staff
/// see those of their care teams' patients (none without a care team), a patient their own, anyone
/// else nothing. Queries use the expressions; code holding a row already uses <c>CanSee</c>.
/// </summary>
public static class ConversationAccess
{
    public static Expression<Func<ConversationEntity, bool>> CanSeeConversation(this CareMessagingCaller caller)
    {
        var teams = caller.CareTeams.ToList();
        var patientId = caller.PatientId;
        return caller.Kind switch
        {
            CallerKind.Staff => c => teams.Contains(c.CareTeamId),
            CallerKind.Patient => c => c.PatientId == patientId,
            _ => c => false,
        };
    }

    /// <summary>
    /// The caller's visible conversations in disjoint parts that each follow one index in list
    /// order: a staff member's care teams one by one, so that a page reads each team's index from
    /// its newest row rather than filtering everyone's conversations by team (ADR 0017).
    /// </summary>
    public static IReadOnlyList<Expression<Func<ConversationEntity, bool>>> VisibleParts(this CareMessagingCaller caller)
    {
        var teams = caller.CareTeams.Distinct().ToList();
        return caller.Kind == CallerKind.Staff && teams.Count > 1
            ? [.. teams.Select(team => (Expression<Func<ConversationEntity, bool>>)(c => c.CareTeamId == team))]
            : [caller.CanSeeConversation()];
    }

    public static Expression<Func<Patient, bool>> CanSeePatient(this CareMessagingCaller caller)
    {
        var teams = caller.CareTeams.ToList();
        var patientId = caller.PatientId;
        return caller.Kind switch
        {
            CallerKind.Staff => p => teams.Contains(p.CareTeamId),
            CallerKind.Patient => p => p.PatientId == patientId,
            _ => p => false,
        };
    }

    public static bool CanSee(this CareMessagingCaller caller, ConversationEntity conversation) =>
        caller.Sees(conversation.CareTeamId, conversation.PatientId);

    public static bool CanSee(this CareMessagingCaller caller, Patient patient) =>
        caller.Sees(patient.CareTeamId, patient.PatientId);

    private static bool Sees(this CareMessagingCaller caller, string careTeamId, string patientId) => caller.Kind switch
    {
        CallerKind.Staff => caller.CareTeams.Contains(careTeamId),
        CallerKind.Patient => patientId == caller.PatientId,
        _ => false,
    };
}
