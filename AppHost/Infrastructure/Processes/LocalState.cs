using System.Security.Cryptography;
using System.Text.Json;

namespace CareMessaging.AppHost.Infrastructure.Processes;

/// <summary>
/// The git-ignored folder that holds the local servers' data and the credentials they were
/// created with. The credentials live beside the data because they belong together: a server
/// initialised with one password cannot be reached with another, and wiping the folder
/// wipes both.
/// </summary>
public sealed class LocalState
{
    public const string ConfigurationKey = "Infrastructure:StateDirectory";

    private LocalState(string directory, LocalCredentials credentials)
    {
        Directory = directory;
        Credentials = credentials;
    }

    public string Directory { get; }

    public LocalCredentials Credentials { get; }

    public static LocalState Open(IConfiguration configuration, string appHostDirectory)
    {
        var directory = Path.GetFullPath(
            configuration[ConfigurationKey] is { Length: > 0 } configured
                ? configured
                : Path.Combine(appHostDirectory, "..", ".state"));
        System.IO.Directory.CreateDirectory(directory);

        var file = Path.Combine(directory, "credentials.json");
        LocalCredentials credentials;
        if (File.Exists(file))
        {
            credentials = JsonSerializer.Deserialize<LocalCredentials>(File.ReadAllText(file))
                ?? throw new InvalidOperationException($"{file} is empty. Wipe the state folder (./run.sh --wipe) to start afresh.");
        }
        else
        {
            credentials = new LocalCredentials(NewSecret(), NewSecret(), NewSecret());
            File.WriteAllText(file, JsonSerializer.Serialize(credentials));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return new LocalState(directory, credentials);
    }

    // Hex keeps the secrets safe inside amqp:// URIs and Redis configuration lines.
    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}

/// <summary>Passwords generated for the local servers on first start.</summary>
public sealed record LocalCredentials(string PostgresPassword, string RedisPassword, string RabbitMqPassword);
