using System.Text.Json;
using System.Text.Json.Serialization;
using CareMessaging.Contracts;

namespace CareMessaging.Testing;

/// <summary>
/// The demo accounts of seed/demo-seed.json, so tests name users by role and team rather than
/// by hard-coded names. Every account signs in with <see cref="Password"/> (local runs only).
/// </summary>
public static class DemoUsers
{
    private static readonly Lazy<SeedFile> Seed = new(Load);

    public static string Password => Seed.Value.DemoPassword;

    public static IReadOnlyList<DemoUser> Staff => Seed.Value.Staff.Select(s => s.ToUser()).ToList();

    public static IReadOnlyList<DemoUser> Patients => Seed.Value.Patients.Select(p => p.ToUser()).ToList();

    public static IReadOnlyList<DemoUser> All => [.. Staff, .. Patients];

    public static IReadOnlyList<string> CareTeams => Seed.Value.CareTeams.Select(t => t.Id).ToList();

    /// <summary>Members of <paramref name="careTeam"/> with <paramref name="role"/> (clinician, nurse or staff).</summary>
    public static IReadOnlyList<DemoUser> InTeam(string careTeam, string role) =>
        Staff.Where(u => u.Role == role && u.CareTeams.Contains(careTeam)).ToList();

    public static IReadOnlyList<DemoUser> InRole(string role) => All.Where(u => u.Role == role).ToList();

    public static DemoUser Admin => InRole(Roles.Admin)[0];

    public static DemoUser ComplianceOfficer => InRole(Roles.Compliance)[0];

    public static IReadOnlyList<DemoUser> PatientsOf(string careTeam) => Patients.Where(p => p.CareTeams.Contains(careTeam)).ToList();

    public static DemoUser ByUserName(string userName) => All.Single(u => u.UserName == userName);

    private static SeedFile Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "seed", "demo-seed.json");
        return JsonSerializer.Deserialize<SeedFile>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException($"{path} holds no demo data.");
    }

    private sealed record SeedFile(string DemoPassword, IReadOnlyList<SeedTeam> CareTeams, IReadOnlyList<SeedStaff> Staff, IReadOnlyList<SeedPatient> Patients);

    private sealed record SeedTeam(string Id, string Name);

    private sealed record SeedStaff(string UserId, string UserName, string DisplayName, string Role, IReadOnlyList<string> CareTeams)
    {
        public DemoUser ToUser() => new(UserId, UserName, DisplayName, Role, CareTeams, PatientId: null);
    }

    private sealed record SeedPatient(
        string PatientId,
        string GivenName,
        string FamilyName,
        [property: JsonPropertyName("careTeam")] string CareTeam,
        string UserId,
        string UserName)
    {
        public DemoUser ToUser() => new(UserId, UserName, $"{GivenName} {FamilyName}", Roles.Patient, [CareTeam], PatientId);
    }
}

/// <summary>One demo account: the ids and claims it signs in with.</summary>
public sealed record DemoUser(string UserId, string UserName, string DisplayName, string Role, IReadOnlyList<string> CareTeams, string? PatientId)
{
    /// <summary>The care_team claims the account's tokens carry: staff have their teams, patients none.</summary>
    public IReadOnlyList<string> CareTeamClaims => Role == Roles.Patient ? [] : CareTeams;

    public override string ToString() => UserName;
}
