using CareMessaging.Contracts;

namespace CareMessaging.Testing;

/// <summary>
/// The demo accounts of <see cref="DemoSeed"/>, so tests name users by role and team rather than
/// by hard-coded names. Every account signs in with <see cref="Password"/> (local runs only).
/// </summary>
public static class DemoUsers
{
    public static string Password => DemoSeed.Current.DemoPassword;

    public static IReadOnlyList<DemoUser> Staff => DemoSeed.Current.Staff.Select(s => s.User).ToList();

    /// <summary>The patients with a portal account, in the seed's order.</summary>
    public static IReadOnlyList<DemoUser> Patients => DemoSeed.Current.Patients.Where(p => p.HasPortalAccount).Select(p => p.User).ToList();

    public static IReadOnlyList<DemoUser> All => [.. Staff, .. Patients];

    public static IReadOnlyList<string> CareTeams => DemoSeed.Current.CareTeams.Select(t => t.Id).ToList();

    /// <summary>Members of <paramref name="careTeam"/> with <paramref name="role"/> (clinician, nurse or staff).</summary>
    public static IReadOnlyList<DemoUser> InTeam(string careTeam, string role) =>
        Staff.Where(u => u.Role == role && u.CareTeams.Contains(careTeam)).ToList();

    public static IReadOnlyList<DemoUser> InRole(string role) => All.Where(u => u.Role == role).ToList();

    public static DemoUser Admin => InRole(Roles.Admin)[0];

    public static DemoUser ComplianceOfficer => InRole(Roles.Compliance)[0];

    public static IReadOnlyList<DemoUser> PatientsOf(string careTeam) => Patients.Where(p => p.CareTeams.Contains(careTeam)).ToList();

    public static DemoUser ByUserName(string userName) => All.Single(u => u.UserName == userName);
}
