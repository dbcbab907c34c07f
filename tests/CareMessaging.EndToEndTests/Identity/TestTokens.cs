using System.Security.Claims;
using System.Security.Cryptography;
using CareMessaging.AppHost.Security;
using CareMessaging.Contracts;
using CareMessaging.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CareMessaging.EndToEndTests.Identity;

/// <summary>
/// Mints access tokens with the Identity service's real signing key (read from the test stack's
/// state folder), to probe what each service accepts: a correct token, and each way of getting
/// one wrong.
/// </summary>
internal sealed class TestTokens
{
    private readonly RsaSecurityKey _key;
    private readonly string _issuer;

    public TestTokens(CareMessagingStack stack)
    {
        var secrets = LocalIdentitySecrets.OpenFile(Path.Combine(stack.StateDirectory, IdentitySecrets.FileName));
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(secrets.SigningKey), out _);
        _key = new RsaSecurityKey(rsa) { KeyId = KeyIdOf(rsa) };
        _issuer = $"{stack.CreateGatewayClient().BaseAddress!.GetLeftPart(UriPartial.Authority)}/identity/";
        GatewayClientSecret = secrets.GatewayClientSecret;
        StatsClientSecret = secrets.StatsClientSecret;
    }

    public string Issuer => _issuer;

    public string GatewayClientSecret { get; }

    public string StatsClientSecret { get; }

    public string Create(string audience, TimeSpan? expiresIn = null, string? issuer = null, SecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(5));
        var user = DemoUsers.InRole(Roles.Clinician)[0];
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? _issuer,
            Audience = audience,
            IssuedAt = expires < now ? expires.AddMinutes(-5) : now,
            NotBefore = expires < now ? expires.AddMinutes(-5) : now,
            Expires = expires,
            TokenType = "at+jwt",
            Subject = new ClaimsIdentity(
            [
                new Claim(CareMessagingClaims.Subject, user.UserId),
                new Claim(CareMessagingClaims.Name, user.DisplayName),
                new Claim(CareMessagingClaims.Role, user.Role),
                new Claim(CareMessagingClaims.CareTeam, user.CareTeams[0]),
                new Claim("scope", OAuthScopes.Api),
            ]),
            SigningCredentials = new SigningCredentials(key ?? _key, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>The same token with one character of its payload changed and the original signature kept.</summary>
    public static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("\"clinician\"", "\"admin\"", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }

    /// <summary>An unsigned token ("alg": "none").</summary>
    public static string Unsigned(string token)
    {
        var parts = token.Split('.');
        return $"{Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"at+jwt\"}")}.{parts[1]}.";
    }

    public static SecurityKey ForeignKey() => new RsaSecurityKey(RSA.Create(2048)) { KeyId = "foreign" };

    // The Identity service names its key by a hash of the public modulus (see OidcServer).
    private static string KeyIdOf(RSA rsa) =>
        Base64UrlEncoder.Encode(SHA256.HashData(rsa.ExportParameters(false).Modulus!))[..16];
}
