namespace CareMessaging.Contracts;

/// <summary>
/// The claims every service relies on, as issued by the Identity service or mapped from a
/// hospital identity provider. Claim types are the short JWT names.
/// </summary>
public static class CareMessagingClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";

    /// <summary>One claim per care team the user belongs to.</summary>
    public const string CareTeam = "care_team";

    /// <summary>The patient ID as people use it (for example "P-100234"); patients only.</summary>
    public const string PatientId = "patient_id";

    public const string SessionId = "sid";
}

/// <summary>Role claim values.</summary>
public static class Roles
{
    public const string Clinician = "clinician";
    public const string Nurse = "nurse";
    public const string Staff = "staff";
    public const string Admin = "admin";
    public const string Compliance = "compliance";
    public const string Patient = "patient";

    /// <summary>Roles that work in a care team's shared inbox.</summary>
    public static readonly IReadOnlyList<string> CareTeamRoles = [Clinician, Nurse, Staff];
}
