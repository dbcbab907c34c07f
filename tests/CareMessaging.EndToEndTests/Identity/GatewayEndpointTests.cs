using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CareMessaging.EndToEndTests.Identity;

/// <summary>The gateway's own endpoints and proxy routes, enumerated from its endpoint data source.</summary>
[Collection(StackCollection.Name)]
public sealed class GatewayEndpointTests(CareMessagingStack stack)
{
    [Fact]
    public async Task Every_api_and_hub_endpoint_of_the_gateway_refuses_anonymous_callers_unless_marked_public()
    {
        await using var gateway = await GatewayHost.StartAsync(stack);
        using var client = gateway.CreateBrowser().Client;
        var endpoints = gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/api", StringComparison.Ordinal) || raw.StartsWith("/hubs", StringComparison.Ordinal) || raw.StartsWith("/identity/api", StringComparison.Ordinal)))
            .ToList();
        var guarded = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null).ToList();

        // The session API, the administrators' API and every proxied service route are among them.
        Assert.Contains(guarded, e => e.RoutePattern.RawText == "/api/session");
        Assert.Contains(guarded, e => e.RoutePattern.RawText!.StartsWith("/api/admin/users/{userId}/sessions", StringComparison.Ordinal));
        Assert.Contains(guarded, e => e.RoutePattern.RawText == "/hubs/{**rest}");
        Assert.True(guarded.Count >= 12, $"Only {guarded.Count} guarded endpoints were found");

        foreach (var endpoint in guarded)
        {
            var path = string.Join('/', endpoint.RoutePattern.RawText!.Split('/').Select(segment =>
                segment.StartsWith('{') ? "probe" : segment));
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST", "DELETE"];
            foreach (var method in methods)
            {
                using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {response.StatusCode}");
            }
        }
    }
}
