using System.Security.Cryptography;
using CareMessaging.Contracts;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CareMessaging.Conversation.Tests.Infrastructure;

/// <summary>
/// Mints access tokens the way the Identity service will, signed with a key made for this test
/// run, so the service's real JWT validation decides who the caller is.
/// </summary>
public sealed class TestTokens
{
    public const string Issuer = "https://identity.caremessaging.test";

    public SecurityKey SigningKey { get; } = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-signing-key" };

    public string Staff(string userId, IEnumerable<string> careTeams, string role = Roles.Clinician, string? name = null) =>
        Mint(userId, role, name ?? "Test Clinician", new Dictionary<string, object> { [CareMessagingClaims.CareTeam] = careTeams.ToArray() });

    public string Patient(string userId, string patientId, string? name = null) =>
        Mint(userId, Roles.Patient, name ?? "Test Patient", new Dictionary<string, object> { [CareMessagingClaims.PatientId] = patientId });

    public string OtherRole(string userId, string role) => Mint(userId, role, "Someone Else", []);

    /// <summary>A service client's client-credentials token with the given scopes.</summary>
    public string ServiceClient(string clientId, params string[] scopes) =>
        Create(new Dictionary<string, object>
        {
            [CareMessagingClaims.Subject] = clientId,
            ["client_id"] = clientId,
            ["scope"] = string.Join(' ', scopes),
        });

    private string Mint(string userId, string role, string name, Dictionary<string, object> extra)
    {
        var claims = new Dictionary<string, object>(extra)
        {
            [CareMessagingClaims.Subject] = userId,
            [CareMessagingClaims.Role] = role,
            [CareMessagingClaims.Name] = name,
        };
        return Create(claims);
    }

    private string Create(Dictionary<string, object> claims) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = ResourceNames.Conversation,
            Claims = claims,
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSha256),
        });
}
