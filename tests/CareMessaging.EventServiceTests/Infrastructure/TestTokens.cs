using System.Security.Cryptography;
using CareMessaging.Contracts;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CareMessaging.EventServiceTests.Infrastructure;

/// <summary>
/// Mints access tokens the way the Identity service shapes them (sub, role, care_team, patient_id),
/// signed with a key made for this test run and trusted by the services under test.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "https://identity.caremessaging.test/";

    public static readonly RsaSecurityKey SigningKey = new(RSA.Create(2048)) { KeyId = "event-service-tests" };

    public static string Mint(string audience, TestUser user, TimeSpan? lifetime = null)
    {
        var claims = new Dictionary<string, object>
        {
            [CareMessagingClaims.Subject] = user.Id,
            [CareMessagingClaims.Role] = user.Role,
            [CareMessagingClaims.Name] = user.Id,
        };
        if (user.CareTeams.Count > 0)
        {
            claims[CareMessagingClaims.CareTeam] = user.CareTeams.ToArray();
        }

        if (user.PatientId is { } patientId)
        {
            claims[CareMessagingClaims.PatientId] = patientId;
        }

        return Sign(audience, claims, lifetime);
    }

    /// <summary>A client-credentials token as the Identity service issues it to a service client.</summary>
    public static string MintServiceToken(string audience, string clientId, string scope) => Sign(audience, new Dictionary<string, object>
    {
        [CareMessagingClaims.Subject] = clientId,
        ["client_id"] = clientId,
        ["scope"] = scope,
    }, lifetime: null);

    private static string Sign(string audience, Dictionary<string, object> claims, TimeSpan? lifetime)
    {
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = DateTime.UtcNow,
            NotBefore = DateTime.UtcNow.AddSeconds(-5),
            Expires = DateTime.UtcNow + (lifetime ?? TimeSpan.FromMinutes(30)),
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }
}

/// <summary>A signed-in person as the services see them.</summary>
public sealed record TestUser(string Id, string Role, IReadOnlyList<string> CareTeams, string? PatientId)
{
    public static TestUser Staff(string role, params string[] careTeams) => new($"staff-{Guid.NewGuid():N}", role, careTeams, null);

    public static TestUser Patient(string patientId) => new($"patient-{Guid.NewGuid():N}", Roles.Patient, [], patientId);

    public static TestUser Compliance() => new($"compliance-{Guid.NewGuid():N}", Roles.Compliance, [], null);

    public static TestUser Admin() => new($"admin-{Guid.NewGuid():N}", Roles.Admin, [], null);
}
