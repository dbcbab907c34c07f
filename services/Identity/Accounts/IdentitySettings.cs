using CareMessaging.Contracts;

namespace CareMessaging.Identity.Accounts;

/// <summary>
/// The Identity service's settings (section <c>Identity</c>). Keys and client secrets come from
/// configuration that the AppHost supplies as secret parameters; nothing here has a usable default
/// outside Development.
/// </summary>
public sealed class IdentitySettings
{
    public const string SectionName = "Identity";

    /// <summary>The issuer users see: the gateway's public address followed by <c>/identity/</c>.</summary>
    public Uri? Issuer { get; set; }

    /// <summary>Staff (everyone but patients) must sign in with an authenticator code. Default: on outside Development.</summary>
    public bool? RequireMfaForStaff { get; set; }

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a refresh token lives; each use rolls it. Covers the gateway's absolute session lifetime.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>RSA private key (PKCS#8, base64) that signs tokens; its public half is published at the JWKS endpoint.</summary>
    public string? SigningKey { get; set; }

    /// <summary>256-bit key (base64) that encrypts authorization codes and refresh tokens.</summary>
    public string? EncryptionKey { get; set; }

    /// <summary>Registered clients by client id: the gateway and the service clients.</summary>
    public Dictionary<string, ClientSettings> Clients { get; set; } = new(StringComparer.Ordinal);

    public bool MfaRequiredFor(string? role, bool isDevelopment) =>
        (RequireMfaForStaff ?? !isDevelopment) && role is not null && role != Roles.Patient;
}

/// <summary>One registered client.</summary>
public sealed class ClientSettings
{
    public string? Secret { get; set; }

    /// <summary>For the gateway: its public address; redirect URIs are derived from it and nothing else is accepted.</summary>
    public Uri? BaseUrl { get; set; }
}
