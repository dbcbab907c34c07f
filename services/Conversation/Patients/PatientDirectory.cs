using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Access;
using CareMessaging.Conversation.Conversations;
using CareMessaging.Conversation.Data;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Conversation.Patients;

/// <summary>Finds patients the caller may see: staff, those of their care teams; a patient, themselves.</summary>
public sealed class PatientDirectory(ConversationDbContext db, ConversationQueries conversations)
{
    public async Task<IReadOnlyList<PatientView>> SearchAsync(CareMessagingCaller caller, string? search, int limit, CancellationToken cancellationToken)
    {
        var query = db.Patients.AsNoTracking().Where(caller.CanSeePatient());
        if (ConversationQueries.SearchPattern(search) is { } pattern)
        {
            query = query.Where(p => EF.Functions.Like(p.SearchText, pattern, @"\"));
        }

        return await Project(query.OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName).ThenBy(p => p.PatientId).Take(limit))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The patient, if the caller may see them, with their most recent conversations.</summary>
    public async Task<(PatientProfile Profile, Patient Patient)?> ProfileAsync(CareMessagingCaller caller, string patientId, CancellationToken cancellationToken)
    {
        var patient = await db.Patients.AsNoTracking().SingleOrDefaultAsync(p => p.PatientId == patientId, cancellationToken);
        if (patient is null || !caller.CanSee(patient))
        {
            return null;
        }

        var view = await Project(db.Patients.AsNoTracking().Where(p => p.PatientId == patientId)).SingleAsync(cancellationToken);
        var page = await conversations.ListAsync(caller, new ListRequest(PatientId: patientId, Limit: ConversationLimits.MaxPatientLimit), cancellationToken);
        return (new PatientProfile(view, page.Items), patient);
    }

    private IQueryable<PatientView> Project(IQueryable<Patient> query) =>
        from p in query
        join t in db.CareTeams on p.CareTeamId equals t.Id
        select new PatientView
        {
            PatientId = p.PatientId,
            GivenName = p.GivenName,
            FamilyName = p.FamilyName,
            Name = p.GivenName + " " + p.FamilyName,
            // PatientNames owns the rule; EF applies it to each row as it is read.
            Initials = PatientNames.Initials(p.GivenName, p.FamilyName),
            DateOfBirth = p.DateOfBirth,
            CareTeamId = p.CareTeamId,
            CareTeamName = t.Name,
            HasPortalAccount = p.PortalUserId != null,
        };
}
