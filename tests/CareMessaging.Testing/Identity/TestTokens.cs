using System.Security.Claims;
using System.Security.Cryptography;
using CareMessaging.Contracts;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CareMessaging.Testing;

/// <summary>
/// Mints access tokens for one audience the way the Identity service shapes them (<c>at+jwt</c>;
/// <c>sub</c>, <c>name</c>, <c>role</c>, <c>care_team</c>, <c>patient_id</c>, <c>scope</c>), signed
/// with <see cref="SigningKey"/> by <see cref="Issuer"/>, so that a service's real bearer validation
/// decides who the caller is. A service hosted by a test trusts them through <see cref="Trust"/>;
/// <see cref="CareMessagingStack.IdentityTokens"/> signs with the running Identity service's own key.
/// </summary>
public sealed class TestTokens
{
    public const string DefaultIssuer = "https://identity.caremessaging.test/";

    /// <summary>How long a token is valid when a test does not say.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(30);

    /// <param name="audience">The service the tokens are for (a resource name).</param>
    /// <param name="issuer">Who the tokens say issued them.</param>
    /// <param name="signingKey">The key they are signed with; a new one made for this run when not given.</param>
    public TestTokens(string audience, string issuer = DefaultIssuer, SecurityKey? signingKey = null)
    {
        Audience = audience;
        Issuer = issuer;
        SigningKey = signingKey ?? NewSigningKey("test-signing-key");
    }

    public string Audience { get; }

    public string Issuer { get; }

    public SecurityKey SigningKey { get; }

    /// <summary>The parameters that accept exactly these tokens: this issuer, this audience, this key.</summary>
    public TokenValidationParameters ValidationParameters => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = SigningKey,
    };

    /// <summary>
    /// Tokens signed as the Identity service signs them: with its own key, named as it names it (a
    /// hash of the public modulus, see OidcServer), for <paramref name="issuer"/>.
    /// </summary>
    public static TestTokens AsIdentityService(string audience, string issuer, RSA key)
    {
        var keyId = Base64UrlEncoder.Encode(SHA256.HashData(key.ExportParameters(false).Modulus!))[..16];
        return new TestTokens(audience, issuer, new RsaSecurityKey(key) { KeyId = keyId });
    }

    /// <summary>An RSA key of its own (2048 bits), for a run's tokens or for a key no service trusts.</summary>
    public static SecurityKey NewSigningKey(string keyId) => new RsaSecurityKey(RSA.Create(2048)) { KeyId = keyId };

    /// <summary>Tokens for another service, from the same issuer with the same key.</summary>
    public TestTokens ForAudience(string audience) => new(audience, Issuer, SigningKey);

    /// <summary>A token with exactly <paramref name="claims"/>; a negative <paramref name="lifetime"/> makes one that has expired.</summary>
    public string Create(IEnumerable<Claim> claims, TimeSpan? lifetime = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? DefaultLifetime);
        // An expired token was issued some time before it expired, as a real one would have been.
        var issued = expires < now ? expires.AddMinutes(-5) : now;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = expires,
            TokenType = "at+jwt",
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A signed-in person's token: staff carry their care teams, patients their patient ID.</summary>
    public string Person(
        string userId, string role, IEnumerable<string>? careTeams = null, string? patientId = null, string? name = null, TimeSpan? lifetime = null)
    {
        List<Claim> claims =
        [
            new(CareMessagingClaims.Subject, userId),
            new(CareMessagingClaims.Name, name ?? userId),
            new(CareMessagingClaims.Role, role),
            new("scope", OAuthScopes.Api),
            .. (careTeams ?? []).Select(team => new Claim(CareMessagingClaims.CareTeam, team)),
        ];
        if (patientId is not null)
        {
            claims.Add(new Claim(CareMessagingClaims.PatientId, patientId));
        }

        return Create(claims, lifetime);
    }

    /// <summary>A demo account's token, with the claims the Identity service gives it.</summary>
    public string For(DemoUser user, TimeSpan? lifetime = null) =>
        Person(user.UserId, user.Role, user.CareTeamClaims, user.PatientId, user.DisplayName, lifetime);

    public string Staff(string userId, IEnumerable<string> careTeams, string role = Roles.Clinician, string? name = null) =>
        Person(userId, role, careTeams, name: name ?? "Test Clinician");

    public string Patient(string userId, string patientId, string? name = null) =>
        Person(userId, Roles.Patient, patientId: patientId, name: name ?? "Test Patient");

    /// <summary>A service client's client-credentials token with the given scopes.</summary>
    public string ServiceClient(string clientId, params string[] scopes) => Create(
    [
        new(CareMessagingClaims.Subject, clientId),
        new("client_id", clientId),
        new("scope", string.Join(' ', scopes)),
    ]);

    /// <summary>
    /// Makes a service hosted by the test (WebApplicationFactory) accept these tokens instead of
    /// fetching the Identity service's published keys; the audience stays the service's own.
    /// </summary>
    public void Trust(IServiceCollection services) =>
        services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            options.Authority = null;
            options.MetadataAddress = string.Empty;
            var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
            configuration.SigningKeys.Add(SigningKey);
            options.Configuration = configuration;
            options.TokenValidationParameters.ValidIssuer = Issuer;
            options.TokenValidationParameters.IssuerSigningKey = SigningKey;
        });

    /// <summary>The same token with <paramref name="from"/> replaced by <paramref name="to"/> in its payload and the original signature kept.</summary>
    public static string Tampered(string token, string from, string to)
    {
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace(from, to, StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }

    /// <summary>The same claims without a signature (<c>"alg": "none"</c>).</summary>
    public static string Unsigned(string token)
    {
        var parts = token.Split('.');
        return $"{Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"at+jwt\"}")}.{parts[1]}.";
    }
}
