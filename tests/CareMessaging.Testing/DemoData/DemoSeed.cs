using System.Text.Json;
using CareMessaging.Contracts;

namespace CareMessaging.Testing;

/// <summary>
/// seed/demo-seed.json, the demo data the Identity and Conversation services load for local runs:
/// care teams, staff, patients (with the names and birth dates their profiles show) and
/// conversations. The one reader of the file in the tests; <see cref="DemoUsers"/> asks it for accounts.
/// </summary>
public sealed record DemoSeed(
    string DemoPassword,
    IReadOnlyList<DemoCareTeam> CareTeams,
    IReadOnlyList<DemoStaff> Staff,
    IReadOnlyList<DemoPatient> Patients,
    IReadOnlyList<DemoConversation> Conversations)
{
    private static readonly Lazy<DemoSeed> Loaded = new(Load);

    /// <summary>The file copied beside the test assembly, read once per test run.</summary>
    public static DemoSeed Current => Loaded.Value;

    /// <summary>A clinician who works in exactly one care team.</summary>
    public DemoUser ClinicianOf(string careTeam) =>
        Staff.First(s => s.Role == Roles.Clinician && s.CareTeams.Count == 1 && s.CareTeams[0] == careTeam).User;

    /// <summary>A patient of <paramref name="careTeam"/> with a portal account and at least one conversation.</summary>
    public DemoUser PatientOf(string careTeam, int skip = 0) =>
        Patients.Where(p => p.CareTeam == careTeam && p.HasPortalAccount && Conversations.Any(c => c.PatientId == p.PatientId))
            .Skip(skip).First().User;

    private static DemoSeed Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "seed", "demo-seed.json");
        return JsonSerializer.Deserialize<DemoSeed>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException($"{path} holds no demo data.");
    }
}

/// <summary>A care team of the demo seed.</summary>
public sealed record DemoCareTeam(string Id, string Name);

/// <summary>A staff member of the demo seed.</summary>
public sealed record DemoStaff(string UserId, string UserName, string DisplayName, string Role, IReadOnlyList<string> CareTeams)
{
    public DemoUser User => new(UserId, UserName, DisplayName, Role, CareTeams, PatientId: null);
}

/// <summary>A patient of the demo seed; <see cref="UserId"/> and <see cref="UserName"/> are their portal account, if they have one.</summary>
public sealed record DemoPatient(
    string PatientId, string GivenName, string FamilyName, DateOnly DateOfBirth, string CareTeam, string? UserId, string? UserName)
{
    public string DisplayName => $"{GivenName} {FamilyName}";

    public bool HasPortalAccount => !string.IsNullOrEmpty(UserId) && !string.IsNullOrEmpty(UserName);

    /// <summary>The patient's portal account.</summary>
    public DemoUser User => HasPortalAccount
        ? new(UserId!, UserName!, DisplayName, Roles.Patient, [CareTeam], PatientId)
        : throw new InvalidOperationException($"{PatientId} has no portal account in the demo seed.");
}

/// <summary>A conversation of the demo seed; its messages are the Conversation service's to seed, and a test only counts them.</summary>
public sealed record DemoConversation(Guid Id, string PatientId, string Topic, IReadOnlyList<JsonElement> Messages);

/// <summary>One demo account: the ids and claims it signs in with.</summary>
public sealed record DemoUser(string UserId, string UserName, string DisplayName, string Role, IReadOnlyList<string> CareTeams, string? PatientId)
{
    /// <summary>The care_team claims the account's tokens carry: staff have their teams, patients none.</summary>
    public IReadOnlyList<string> CareTeamClaims => Role == Roles.Patient ? [] : CareTeams;

    public override string ToString() => UserName;
}
