using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;

namespace CareMessaging.EndToEndTests.Identity;

/// <summary>The gateway signs users in at a hospital's identity provider by configuration alone.</summary>
[Collection(StackCollection.Name)]
public sealed class HospitalIdentityProviderTests(CareMessagingStack stack)
{
    [Fact]
    public async Task The_gateway_signs_in_at_a_hospital_provider_maps_its_claims_and_relays_its_token()
    {
        await using var hospital = await HospitalIdentityProvider.StartAsync();
        await using var service = await EchoServiceAsync();
        await using var gateway = await GatewayHost.StartAsync(stack, new Dictionary<string, string?>
        {
            ["Oidc:Authority"] = hospital.Issuer.ToString(),
            ["Oidc:MetadataAddress"] = null,
            ["Oidc:ClientId"] = HospitalIdentityProvider.ClientId,
            ["Oidc:ClientSecret"] = HospitalIdentityProvider.ClientSecret,
            ["Oidc:Scopes"] = "openid profile offline_access",
            ["Oidc:ClaimMap:name"] = "display_name",
            ["Oidc:ClaimMap:role"] = "roles",
            ["Oidc:ClaimMap:care_team"] = "groups",
            ["ReverseProxy:Clusters:stats:Destinations:primary:Address"] = service.Address.ToString(),
        });
        using var browser = gateway.CreateBrowser();

        using var signIn = await browser.Client.GetAsync("/signin?returnUrl=%2Fapi%2Fsession");
        var session = await signIn.Content.ReadFromJsonAsync<JsonElement>();
        using var proxied = new HttpRequestMessage(HttpMethod.Get, "/api/stats/echo");
        proxied.Headers.Add("Authorization", "Bearer forged-by-the-browser");
        using var echoed = await browser.Client.SendAsync(proxied);
        var relayed = await echoed.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(HospitalIdentityProvider.UserId, session.GetProperty("userId").GetString());
        Assert.Equal(HospitalIdentityProvider.DisplayName, session.GetProperty("name").GetString());
        Assert.Equal(Roles.Nurse, session.GetProperty("role").GetString());
        Assert.Equal(HospitalIdentityProvider.Groups.Order(), session.GetProperty("careTeams").EnumerateArray().Select(t => t.GetString()!).Order());
        Assert.Equal(HttpStatusCode.OK, echoed.StatusCode);
        Assert.Equal(hospital.Issuer.ToString(), relayed.GetProperty("issuer").GetString());
        Assert.Equal(HospitalIdentityProvider.UserId, relayed.GetProperty("subject").GetString());
    }

    /// <summary>Stands in for a service: tells which token it received (issuer and subject only).</summary>
    private static Task<LoopbackServer> EchoServiceAsync() => LoopbackServer.StartAsync(app =>
        app.MapGet("/api/stats/echo", (HttpRequest request) =>
        {
            var header = request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return Results.Unauthorized();
            }

            var token = new JsonWebToken(header["Bearer ".Length..]);
            return Results.Ok(new { issuer = token.Issuer, subject = token.Subject });
        }));
}
