using System.Data.Common;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using CareMessaging.Contracts;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace CareMessaging.ServiceDefaults;

/// <summary>
/// Encrypted connections to PostgreSQL, Redis and RabbitMQ (docs/decisions/0056). With
/// <c>StoreTls:Required</c> a service starts only when every connection string asks for TLS with
/// the server's certificate checked (Npgsql <c>SSL Mode=VerifyFull</c> is added where none is
/// named, Redis <c>ssl=true</c>, RabbitMQ <c>amqps://</c>), and refuses one that asks for less.
/// <c>StoreTls:CertificateAuthority</c>, a PEM file such as a mounted Secret, is the authority that
/// signed the stores' certificates, trusted for them besides the system's.
/// </summary>
public static class StoreTls
{
    public const string RequiredKey = "StoreTls:Required";
    public const string CertificateAuthorityKey = "StoreTls:CertificateAuthority";

    private static readonly string[] RedisConnections = [ResourceNames.Redis, ResourceNames.Sessions];

    /// <summary>Checks and completes the connection strings; trusts the authority for every Redis connection made through Aspire's client.</summary>
    internal static void AddStoreTls(IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (configuration.GetValue<bool>(RequiredKey))
        {
            RequireInConnectionStrings(configuration);
        }

        if (configuration[CertificateAuthorityKey] is { Length: > 0 })
        {
            builder.Services.PostConfigureAll<ConfigurationOptions>(options => TrustAuthority(options, configuration));
        }
    }

    /// <summary>
    /// Trusts <c>StoreTls:CertificateAuthority</c> for <paramref name="options"/> when they ask for TLS,
    /// for a Redis connection made outside Aspire's client (the SignalR backplane).
    /// </summary>
    public static void TrustAuthority(ConfigurationOptions options, IConfiguration configuration)
    {
        if (options.Ssl && Validator(configuration) is { } validate)
        {
            options.CertificateValidation += validate;
        }
    }

    /// <summary>The broker's TLS, when its address is <c>amqps://</c>: its certificate is checked for the host name and against the authority.</summary>
    public static void ConfigureBroker(IRabbitMqHostConfigurator host, Uri broker, IConfiguration configuration)
    {
        if (!string.Equals(broker.Scheme, "amqps", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        host.UseSsl(ssl =>
        {
            ssl.ServerName = broker.Host;
            if (Validator(configuration) is { } validate)
            {
                ssl.CertificateValidationCallback = validate;
            }
        });
    }

    /// <summary>
    /// Adds TLS with the certificate checked to every connection string that does not name it, and
    /// throws, naming the connection string, for one that asks for less.
    /// </summary>
    public static void RequireInConnectionStrings(IConfiguration configuration)
    {
        var authority = configuration[CertificateAuthorityKey];
        foreach (var connection in configuration.GetSection("ConnectionStrings").GetChildren().Where(c => !string.IsNullOrWhiteSpace(c.Value)))
        {
            var key = $"ConnectionStrings:{connection.Key}";
            if (connection.Key == ResourceNames.Messaging)
            {
                if (!connection.Value!.StartsWith("amqps://", StringComparison.OrdinalIgnoreCase))
                {
                    throw Refused(key, "is not an amqps:// address. Give the broker's TLS listener (amqps://user:password@host:5671).");
                }
            }
            else if (RedisConnections.Contains(connection.Key))
            {
                configuration[key] = RedisRequiringTls(key, connection.Value!);
            }
            else
            {
                configuration[key] = PostgresRequiringTls(key, connection.Value!, authority);
            }
        }
    }

    private static string RedisRequiringTls(string key, string connectionString)
    {
        var ssl = connectionString.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .LastOrDefault(part => part.Length == 2 && string.Equals(part[0].Trim(), "ssl", StringComparison.OrdinalIgnoreCase))?[1].Trim();
        return ssl switch
        {
            null => $"{connectionString.TrimEnd(',')},ssl=true",
            _ when bool.TryParse(ssl, out var on) && on => connectionString,
            _ => throw Refused(key, $"sets ssl={ssl}. Remove it, or set ssl=true and give the server's TLS port."),
        };
    }

    private static string PostgresRequiringTls(string key, string connectionString, string? authority)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var changed = false;
        var modeKey = new[] { "SSL Mode", "SslMode", "sslmode" }.FirstOrDefault(builder.ContainsKey);
        if (modeKey is null)
        {
            builder["SSL Mode"] = "VerifyFull";
            changed = true;
        }
        else if (builder[modeKey]?.ToString()?.Replace("-", string.Empty, StringComparison.Ordinal) is var mode
            && !string.Equals(mode, "VerifyFull", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(mode, "VerifyCA", StringComparison.OrdinalIgnoreCase))
        {
            throw Refused(key, $"sets SSL Mode={builder[modeKey]}. Use VerifyFull (or VerifyCA), or leave it out.");
        }

        if (authority is { Length: > 0 } && !new[] { "Root Certificate", "RootCertificate", "sslrootcert" }.Any(builder.ContainsKey))
        {
            builder["Root Certificate"] = authority;
            changed = true;
        }

        return changed ? builder.ConnectionString : connectionString;
    }

    private static InvalidOperationException Refused(string key, string problem) =>
        new($"{RequiredKey} is on and {key} {problem} (docs/decisions/0056-connections-to-the-stores-are-encrypted.md).");

    /// <summary>
    /// A check that accepts what the system trusts, and a certificate whose only fault is an
    /// authority the system does not know when it chains to the configured one; a wrong host name
    /// is never accepted. Null when no authority is configured: the drivers' own check then applies.
    /// </summary>
    public static RemoteCertificateValidationCallback? Validator(IConfiguration configuration)
    {
        if (configuration[CertificateAuthorityKey] is not { Length: > 0 } path)
        {
            return null;
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{CertificateAuthorityKey} is {path}, which does not exist. Mount the certificate authority that signed the stores' certificates there (PEM).");
        }

        // A bundle may hold several authorities (a root and the one that signs servers, or an old and a new one).
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(path);
        return (_, certificate, chain, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
            {
                return false;
            }

            using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
            // The stores' authority publishes no revocation list a pod could reach.
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                custom.ChainPolicy.ExtraStore.AddRange(chain.ChainElements.Select(element => element.Certificate).ToArray());
            }

            return custom.Build(server);
        };
    }
}
