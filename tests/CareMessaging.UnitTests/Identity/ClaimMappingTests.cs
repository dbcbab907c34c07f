using System.Security.Claims;
using CareMessaging.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace CareMessaging.UnitTests.Identity;

public sealed class ClaimMappingTests
{
    private static IReadOnlyDictionary<string, string> Map(params (string Ours, string Theirs)[] entries) =>
        ClaimMapping.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(entries.Select(e => KeyValuePair.Create<string, string?>($"Oidc:ClaimMap:{e.Ours}", e.Theirs)))
            .Build().GetSection("Oidc"));

    [Fact]
    public void A_providers_claims_are_added_under_our_names()
    {
        var identity = new ClaimsIdentity([new Claim("roles", "nurse"), new Claim("groups", "oncology"), new Claim("groups", "primary-care")]);

        ClaimMapping.Apply(identity, Map(("role", "roles"), ("care_team", "groups")));

        Assert.Equal("nurse", identity.FindFirst("role")?.Value);
        Assert.Equal(["oncology", "primary-care"], identity.FindAll("care_team").Select(c => c.Value));
    }

    [Fact]
    public void A_claim_the_token_already_has_is_not_duplicated()
    {
        var identity = new ClaimsIdentity([new Claim("role", "nurse"), new Claim("roles", "nurse")]);

        ClaimMapping.Apply(identity, Map(("role", "roles")));

        Assert.Single(identity.FindAll("role"));
    }

    [Fact]
    public void Claim_types_that_are_uris_can_be_mapped()
    {
        const string wsRole = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
        var identity = new ClaimsIdentity([new Claim(wsRole, "clinician")]);

        ClaimMapping.Apply(identity, Map(("role", wsRole)));

        Assert.Equal("clinician", identity.FindFirst("role")?.Value);
    }
}
