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

    private LocalState(string directory, LocalCredentials credentials, StoreCertificates? tls)
    {
        Directory = directory;
        Credentials = credentials;
        Tls = tls;
    }

    public string Directory { get; }

    public LocalCredentials Credentials { get; }

    /// <summary>The certificates the local servers present when <c>Infrastructure:Tls</c> is on, else null.</summary>
    public StoreCertificates? Tls { get; }

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
            // A state folder from before a secret existed keeps its data and gets the new secret.
            if (string.IsNullOrEmpty(credentials.ConversationEncryptionKey))
            {
                credentials = credentials with { ConversationEncryptionKey = NewEncryptionKey() };
                Write(file, credentials);
            }
        }
        else
        {
            credentials = new LocalCredentials(NewSecret(), NewSecret(), NewSecret(), NewEncryptionKey());
            Write(file, credentials);
        }

        return new LocalState(directory, credentials, StoreCertificates.Open(configuration, directory));
    }

    private static void Write(string file, LocalCredentials credentials)
    {
        File.WriteAllText(file, JsonSerializer.Serialize(credentials));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    // AES-256: 32 random bytes, in the base64 form the Conversation service's key ring reads.
    private static string NewEncryptionKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    // Hex keeps the secrets safe inside amqp:// URIs and Redis configuration lines.
    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}

/// <summary>Passwords generated for the local servers on first start, and the key that encrypts message bodies at rest.</summary>
public sealed record LocalCredentials(string PostgresPassword, string RedisPassword, string RabbitMqPassword, string? ConversationEncryptionKey = null);
