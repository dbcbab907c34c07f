using CareMessaging.Conversation.Data;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Conversation.Patients;

/// <summary>
/// Who can read a conversation: the staff of the patient's care team (from the staff directory)
/// and the patient's own portal account, if any.
/// </summary>
public static class Audiences
{
    public static async Task<IReadOnlyList<string>> ForAsync(ConversationDbContext db, string careTeamId, string? portalUserId, CancellationToken cancellationToken)
    {
        var staff = await db.StaffMemberships.Where(m => m.CareTeamId == careTeamId)
            .Select(m => m.UserId).OrderBy(id => id).ToListAsync(cancellationToken);
        return Combine(staff, portalUserId);
    }

    /// <summary>The staff of each of <paramref name="careTeamIds"/>, for building many audiences at once.</summary>
    public static async Task<ILookup<string, string>> StaffByTeamAsync(ConversationDbContext db, IReadOnlyCollection<string> careTeamIds, CancellationToken cancellationToken)
    {
        var teams = careTeamIds.Distinct().ToList();
        var memberships = await db.StaffMemberships.Where(m => teams.Contains(m.CareTeamId))
            .OrderBy(m => m.UserId).ToListAsync(cancellationToken);
        return memberships.ToLookup(m => m.CareTeamId, m => m.UserId);
    }

    public static IReadOnlyList<string> Combine(IEnumerable<string> staff, string? portalUserId) =>
        portalUserId is { Length: > 0 } ? [.. staff.Where(id => id != portalUserId), portalUserId] : [.. staff];
}
