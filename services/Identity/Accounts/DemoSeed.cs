using System.Text.Json;

namespace CareMessaging.Identity.Accounts;

/// <summary>The parts of seed/demo-seed.json that describe accounts.</summary>
public sealed record DemoSeed(string DemoPassword, IReadOnlyList<DemoStaff> Staff, IReadOnlyList<DemoPatient> Patients)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static DemoSeed Load(string path) =>
        JsonSerializer.Deserialize<DemoSeed>(File.ReadAllText(path), Options)
            ?? throw new InvalidOperationException($"{path} holds no demo data.");
}

public sealed record DemoStaff(string UserId, string UserName, string DisplayName, string Role, IReadOnlyList<string> CareTeams, string? Email);

public sealed record DemoPatient(string PatientId, string GivenName, string FamilyName, string CareTeam, string UserId, string UserName);
