using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Aspire.Hosting.Testing;
using CareMessaging.Contracts;

namespace CareMessaging.EndToEndTests.Identity;

/// <summary>
/// Every service validates bearer tokens itself (issuer, audience, signature, lifetime), and every
/// API route refuses anonymous callers, whether they come through the gateway or not.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class TokenValidationTests(CareMessagingStack stack)
{
    /// <summary>Each service, the OpenAPI document that lists its routes, and the prefix those routes live under.</summary>
    public static TheoryData<string, string, string> Services => new()
    {
        { ResourceNames.Conversation, "/api/conversations/openapi/v1.json", "/api/conversations" },
        { ResourceNames.Notification, "/api/notifications/openapi/v1.json", "/api/notifications" },
        { ResourceNames.Audit, "/api/audit/openapi/v1.json", "/api/audit" },
        { ResourceNames.Stats, "/api/stats/openapi/v1.json", "/api/stats" },
        { ResourceNames.Identity, "/identity/openapi/v1.json", "/identity/api/account" },
    };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_documented_route_refuses_anonymous_callers_through_the_gateway_and_at_the_service(
        string service, string document, string prefix)
    {
        using var gateway = stack.CreateGatewayClient();
        using var direct = stack.App.CreateHttpClient(service, "http");
        var routes = await DocumentedRoutesAsync(gateway, document, service == ResourceNames.Identity ? "/identity" : string.Empty);
        // The prefix itself is always probed, so a service that documents nothing yet is still checked.
        routes.Add((HttpMethod.Get, prefix));

        foreach (var (method, path) in routes)
        {
            using var throughGateway = await gateway.SendAsync(new HttpRequestMessage(method, path));
            using var atService = await direct.SendAsync(new HttpRequestMessage(method, path));
            Assert.True(HttpStatusCode.Unauthorized == throughGateway.StatusCode, $"{method} {path} through the gateway answered {throughGateway.StatusCode}");
            Assert.True(HttpStatusCode.Unauthorized == atService.StatusCode, $"{method} {path} at {service} answered {atService.StatusCode}");
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task A_service_accepts_only_a_genuine_current_token_for_itself(string service, string document, string prefix)
    {
        _ = document;
        var tokens = stack.IdentityTokens(service);
        var clinician = DemoUsers.InRole(Roles.Clinician)[0];
        using var client = stack.App.CreateHttpClient(service, "http");
        var otherAudience = service == ResourceNames.Audit ? ResourceNames.Stats : ResourceNames.Audit;
        var path = prefix + (service == ResourceNames.Identity ? string.Empty : "/token-probe");

        var genuine = await CallAsync(client, path, tokens.For(clinician));
        var tampered = await CallAsync(client, path, TestTokens.Tampered(tokens.For(clinician), "\"clinician\"", "\"admin\""));
        var expired = await CallAsync(client, path, tokens.For(clinician, lifetime: TimeSpan.FromMinutes(-10)));
        var otherService = await CallAsync(client, path, tokens.ForAudience(otherAudience).For(clinician));
        var otherIssuer = await CallAsync(client, path, new TestTokens(service, "https://impostor.example/identity/", tokens.SigningKey).For(clinician));
        var otherKey = await CallAsync(client, path, new TestTokens(service, tokens.Issuer, TestTokens.NewSigningKey("foreign")).For(clinician));
        var unsigned = await CallAsync(client, path, TestTokens.Unsigned(tokens.For(clinician)));

        Assert.NotEqual(HttpStatusCode.Unauthorized, genuine);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered);
        Assert.Equal(HttpStatusCode.Unauthorized, expired);
        Assert.Equal(HttpStatusCode.Unauthorized, otherService);
        Assert.Equal(HttpStatusCode.Unauthorized, otherIssuer);
        Assert.Equal(HttpStatusCode.Unauthorized, otherKey);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned);
    }

    [Fact]
    public async Task A_bearer_token_sent_by_a_browser_is_not_a_session_at_the_gateway()
    {
        var token = stack.IdentityTokens(ResourceNames.Stats).For(DemoUsers.InRole(Roles.Clinician)[0]);
        using var gateway = stack.CreateGatewayClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/stats/token-probe");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await gateway.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<HttpStatusCode> CallAsync(HttpClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Every (method, path) in an OpenAPI document, with route parameters filled in.</summary>
    private static async Task<List<(HttpMethod Method, string Path)>> DocumentedRoutesAsync(HttpClient gateway, string document, string pathBase)
    {
        using var json = JsonDocument.Parse(await gateway.GetStringAsync(document));
        var routes = new List<(HttpMethod, string)>();
        if (!json.RootElement.TryGetProperty("paths", out var paths))
        {
            return routes;
        }

        foreach (var path in paths.EnumerateObject())
        {
            var concrete = System.Text.RegularExpressions.Regex.Replace(path.Name, "{[^}]+}", Guid.Empty.ToString());
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                routes.Add((new HttpMethod(operation.Name.ToUpperInvariant()), pathBase + concrete));
            }
        }

        return routes;
    }
}
