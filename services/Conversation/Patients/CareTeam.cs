namespace CareMessaging.Conversation.Patients;

/// <summary>A care team: its staff share the inbox of its patients' conversations.</summary>
public sealed class CareTeam
{
    /// <summary>The id used in <c>care_team</c> claims, for example "cardiology".</summary>
    public required string Id { get; init; }

    public required string Name { get; set; }
}

/// <summary>A member of staff in the directory, so that the service can name senders and know each team's audience.</summary>
public sealed class StaffMember
{
    /// <summary>The user id (<c>sub</c>) the identity provider issues for this person.</summary>
    public required string UserId { get; init; }

    public required string DisplayName { get; set; }

    public required string Role { get; set; }

    public List<StaffMembership> Memberships { get; init; } = [];
}

/// <summary>One staff member's membership of one care team.</summary>
public sealed class StaffMembership
{
    public required string UserId { get; init; }

    public required string CareTeamId { get; init; }
}
