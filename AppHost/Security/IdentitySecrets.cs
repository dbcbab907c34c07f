using System.Security.Cryptography;
using System.Text.Json;
using CareMessaging.AppHost.Infrastructure;
using CareMessaging.AppHost.Infrastructure.Processes;

namespace CareMessaging.AppHost.Security;

/// <summary>
/// The Identity service's token keys and the OpenID Connect client secrets, as secret parameters.
/// Local runs (processes and containers modes) generate them once into the state folder, beside
/// the other local credentials; with external infrastructure they must be supplied
/// (<c>Parameters:identity-signing-key</c> and so on, from user secrets or the deployment's store).
/// </summary>
public sealed record IdentitySecrets(
    IResourceBuilder<ParameterResource> SigningKey,
    IResourceBuilder<ParameterResource> EncryptionKey,
    IResourceBuilder<ParameterResource> GatewayClientSecret,
    IResourceBuilder<ParameterResource> NotificationClientSecret,
    IResourceBuilder<ParameterResource> StatsClientSecret,
    IResourceBuilder<ParameterResource> GatewayDataProtectionKey,
    IResourceBuilder<ParameterResource>? OperationsClientSecret)
{
    public const string FileName = "identity-secrets.json";

    public static IdentitySecrets Add(IDistributedApplicationBuilder builder, InfrastructureMode mode)
    {
        var local = mode == InfrastructureMode.External ? null : LocalIdentitySecrets.Open(builder.Configuration, builder.AppHostDirectory);
        return new IdentitySecrets(
            Parameter(builder, "identity-signing-key", local?.SigningKey),
            Parameter(builder, "identity-encryption-key", local?.EncryptionKey),
            Parameter(builder, "gateway-client-secret", local?.GatewayClientSecret),
            Parameter(builder, "notification-client-secret", local?.NotificationClientSecret),
            Parameter(builder, "stats-client-secret", local?.StatsClientSecret),
            // The gateway's data-protection keys are made from this secret, never stored (ADR 0027).
            Parameter(builder, "gateway-data-protection-key", local?.GatewayDataProtectionKey),
            // The dashboard's operator commands are for local runs; a deployment has no such client.
            local is null ? null : Parameter(builder, "operations-client-secret", local.OperationsClientSecret));
    }

    private static IResourceBuilder<ParameterResource> Parameter(IDistributedApplicationBuilder builder, string name, string? localValue) =>
        localValue is null ? builder.AddParameter(name, secret: true) : builder.AddParameter(name, localValue, secret: true);
}

/// <summary>The generated values, kept in <c>&lt;state folder&gt;/identity-secrets.json</c> (mode 600).</summary>
public sealed record LocalIdentitySecrets(
    string SigningKey,
    string EncryptionKey,
    string GatewayClientSecret,
    string NotificationClientSecret,
    string StatsClientSecret,
    string? GatewayDataProtectionKey = null,
    string? OperationsClientSecret = null)
{
    public static LocalIdentitySecrets Open(IConfiguration configuration, string appHostDirectory)
    {
        var directory = Path.GetFullPath(
            configuration[LocalState.ConfigurationKey] is { Length: > 0 } configured
                ? configured
                : Path.Combine(appHostDirectory, "..", ".state"));
        Directory.CreateDirectory(directory);
        return OpenFile(Path.Combine(directory, IdentitySecrets.FileName));
    }

    public static LocalIdentitySecrets OpenFile(string file)
    {
        if (File.Exists(file))
        {
            var existing = JsonSerializer.Deserialize<LocalIdentitySecrets>(File.ReadAllText(file))
                ?? throw new InvalidOperationException($"{file} is empty. Delete it to generate new keys (every signed-in session ends).");
            // A state folder from before a secret existed keeps its keys and gets the new secrets.
            if (existing.GatewayDataProtectionKey is null || string.IsNullOrEmpty(existing.OperationsClientSecret))
            {
                existing = existing with
                {
                    GatewayDataProtectionKey = existing.GatewayDataProtectionKey ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                    OperationsClientSecret = string.IsNullOrEmpty(existing.OperationsClientSecret) ? NewSecret() : existing.OperationsClientSecret,
                };
                Write(file, existing);
            }

            return existing;
        }

        using var rsa = RSA.Create(2048);
        var secrets = new LocalIdentitySecrets(
            Convert.ToBase64String(rsa.ExportPkcs8PrivateKey()),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            NewSecret(),
            NewSecret(),
            NewSecret(),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            NewSecret());
        Write(file, secrets);
        return secrets;
    }

    private static void Write(string file, LocalIdentitySecrets secrets)
    {
        File.WriteAllText(file, JsonSerializer.Serialize(secrets));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
