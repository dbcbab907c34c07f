using System.Text.Json;

namespace CareMessaging.BrowserTests.Infrastructure;

/// <summary>The demo users the Identity and Conversation services seed for local runs, read from seed/demo-seed.json.</summary>
public sealed record DemoSeed(string DemoPassword, IReadOnlyList<DemoStaff> Staff, IReadOnlyList<DemoPatient> Patients, IReadOnlyList<DemoConversation> Conversations)
{
    public static DemoSeed Load()
    {
        var path = Path.Combine(RepositoryRoot.Path, "seed", "demo-seed.json");
        return JsonSerializer.Deserialize<DemoSeed>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException($"{path} is empty.");
    }

    /// <summary>A clinician who works in exactly one care team.</summary>
    public DemoUser ClinicianOf(string careTeam) =>
        Staff.First(s => s.Role == "clinician" && s.CareTeams.Count == 1 && s.CareTeams[0] == careTeam).AsUser();

    /// <summary>A patient of <paramref name="careTeam"/> with a portal account and at least one conversation.</summary>
    public DemoUser PatientOf(string careTeam, int skip = 0) =>
        Patients.Where(p => p.CareTeam == careTeam && !string.IsNullOrEmpty(p.UserName) && Conversations.Any(c => c.PatientId == p.PatientId))
            .Skip(skip).First().AsUser();
}

public sealed record DemoStaff(string UserId, string UserName, string DisplayName, string Role, IReadOnlyList<string> CareTeams)
{
    public DemoUser AsUser() => new(UserName, DisplayName, Role, PatientId: null);
}

public sealed record DemoPatient(string PatientId, string GivenName, string FamilyName, string DateOfBirth, string CareTeam, string? UserId, string? UserName)
{
    public DemoUser AsUser() => new(UserName!, $"{GivenName} {FamilyName}", "patient", PatientId);
}

public sealed record DemoConversation(string Id, string PatientId, string Topic);

/// <summary>Someone who signs in: staff, or a patient with their patient ID.</summary>
public sealed record DemoUser(string UserName, string DisplayName, string Role, string? PatientId);

/// <summary>The repository's root folder, found from the test assembly's location.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "CareMessaging.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("CareMessaging.sln was not found above the test assembly.");
    }
}
