using System.Text.Json;

namespace CareMessaging.Conversation.Seeding;

/// <summary>The shape of seed/demo-seed.json, the demo data both the Conversation and Identity services read.</summary>
public sealed record DemoSeedFile
{
    public required IReadOnlyList<SeedCareTeam> CareTeams { get; init; }

    public required IReadOnlyList<SeedStaff> Staff { get; init; }

    public required IReadOnlyList<SeedPatient> Patients { get; init; }

    public required IReadOnlyList<SeedConversation> Conversations { get; init; }

    /// <summary>Reads the file from <c>Seed:File</c>, next to the service, or in the repository it runs from.</summary>
    public static DemoSeedFile Load(IConfiguration configuration, string contentRoot)
    {
        var path = Locate(configuration["Seed:File"], contentRoot)
            ?? throw new FileNotFoundException("seed/demo-seed.json was not found. Set Seed:File to its path, or Seed:Demo=false.");
        return JsonSerializer.Deserialize<DemoSeedFile>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidDataException($"{path} is empty.");
    }

    private static string? Locate(string? configured, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var copied = Path.Combine(AppContext.BaseDirectory, "seed", "demo-seed.json");
        if (File.Exists(copied))
        {
            return copied;
        }

        for (var directory = new DirectoryInfo(contentRoot); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "seed", "demo-seed.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

public sealed record SeedCareTeam(string Id, string Name);

public sealed record SeedStaff(string UserId, string DisplayName, string Role, IReadOnlyList<string> CareTeams);

public sealed record SeedPatient(string PatientId, string GivenName, string FamilyName, DateOnly DateOfBirth, string CareTeam, string? UserId);

public sealed record SeedConversation(Guid Id, string PatientId, string Topic, string Status, IReadOnlyList<SeedMessage> Messages);

/// <summary>A seeded message; <see cref="Sender"/> is "patient" or a staff user id.</summary>
public sealed record SeedMessage(string Sender, string Body, int MinutesAgo);
