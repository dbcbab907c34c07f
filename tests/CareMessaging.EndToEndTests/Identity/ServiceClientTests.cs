using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Aspire.Hosting.Testing;
using CareMessaging.Contracts;
using CareMessaging.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CareMessaging.EndToEndTests.Identity;

/// <summary>
/// A service calls another with a client-credentials token from the real Identity service,
/// through ServiceDefaults on both sides: the caller's token handler, the callee's bearer
/// validation and its read-model policy.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ServiceClientTests(CareMessagingStack stack)
{
    [Fact]
    public async Task The_stats_client_reads_a_conversation_read_model_endpoint_with_a_client_credentials_token()
    {
        await using var conversation = await StartCalleeAsync(ResourceNames.Conversation);
        var tokenRequests = new CountingHandler();
        await using var stats = CallerServices(ResourceNames.Stats, stack.IdentitySecrets.StatsClientSecret, OAuthScopes.ReadModel, conversation.Address, tokenRequests);
        var client = stats.GetRequiredService<IHttpClientFactory>().CreateClient("conversation");

        var first = await client.GetFromJsonAsync<JsonElement>("/api/conversations/internal/read-model");
        var second = await client.GetFromJsonAsync<JsonElement>("/api/conversations/internal/read-model");

        Assert.Equal(ResourceNames.Stats, first.GetProperty("client").GetString());
        Assert.Equal(ResourceNames.Stats, second.GetProperty("client").GetString());
        Assert.Equal(1, tokenRequests.Count);
    }

    [Fact]
    public async Task The_stats_client_reads_the_real_conversation_services_read_model_and_a_user_token_may_not()
    {
        var conversation = stack.App.GetEndpoint(ResourceNames.Conversation, "http");
        await using var stats = CallerServices(ResourceNames.Stats, stack.IdentitySecrets.StatsClientSecret, OAuthScopes.ReadModel, conversation, new CountingHandler());
        var client = stats.GetRequiredService<IHttpClientFactory>().CreateClient("conversation");
        using var direct = new HttpClient { BaseAddress = conversation };
        using var asUser = new HttpRequestMessage(HttpMethod.Get, "/api/conversations/internal/read-model?limit=1");
        asUser.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", stack.IdentityTokens(ResourceNames.Conversation).For(DemoUsers.InRole(Roles.Clinician)[0]));

        var page = await client.GetFromJsonAsync<JsonElement>("/api/conversations/internal/read-model?limit=1");
        using var refused = await direct.SendAsync(asUser);

        Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task A_read_model_token_is_refused_by_a_service_it_was_not_issued_for()
    {
        await using var audit = await StartCalleeAsync(ResourceNames.Audit);
        await using var stats = CallerServices(ResourceNames.Stats, stack.IdentitySecrets.StatsClientSecret, OAuthScopes.ReadModel, audit.Address, new CountingHandler());
        var client = stats.GetRequiredService<IHttpClientFactory>().CreateClient("conversation");

        using var response = await client.GetAsync("/api/conversations/internal/read-model");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_client_with_a_wrong_secret_gets_no_token()
    {
        await using var conversation = await StartCalleeAsync(ResourceNames.Conversation);
        await using var impostor = CallerServices(ResourceNames.Stats, "not-the-secret", OAuthScopes.ReadModel, conversation.Address, new CountingHandler());
        var client = impostor.GetRequiredService<IHttpClientFactory>().CreateClient("conversation");

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/api/conversations/internal/read-model"));

        Assert.Contains("refused", refused.Message);
    }

    private Dictionary<string, string?> AuthenticationSettings()
    {
        var identity = stack.App.GetEndpoint(ResourceNames.Identity, "http").ToString().TrimEnd('/');
        return new()
        {
            ["Authentication:Authority"] = $"{identity}/identity/",
            ["Authentication:MetadataAddress"] = $"{identity}/identity/.well-known/openid-configuration",
            ["Authentication:Issuer"] = stack.IdentityIssuer,
            ["Authentication:RequireHttpsMetadata"] = "false",
        };
    }

    /// <summary>A minimal service with ServiceDefaults' bearer validation for <paramref name="audience"/> and one read-model endpoint.</summary>
    private Task<LoopbackServer> StartCalleeAsync(string audience) => LoopbackServer.StartAsync(
        app =>
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGet("/api/conversations/internal/read-model", (ClaimsPrincipal caller) =>
                TypedResults.Ok(new { client = caller.FindFirst(CareMessagingClaims.Subject)?.Value }))
                .RequireAuthorization(Policies.ReadModelExport);
        },
        builder =>
        {
            builder.Configuration.AddInMemoryCollection(AuthenticationSettings());
            builder.AddDefaultAuthentication(audience);
        });

    private ServiceProvider CallerServices(string clientId, string secret, string scope, Uri callee, CountingHandler tokenRequests)
    {
        var settings = AuthenticationSettings();
        settings["ServiceClient:ClientId"] = clientId;
        settings["ServiceClient:ClientSecret"] = secret;
        settings["ServiceClient:Scope"] = scope;
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddHttpClient(ServiceClients.TokenHttpClientName).AddHttpMessageHandler(() => tokenRequests);
        services.AddHttpClient("conversation", http => http.BaseAddress = callee).AddServiceClientToken();
        return services.BuildServiceProvider();
    }

    /// <summary>Counts the token requests (discovery documents aside).</summary>
    private sealed class CountingHandler : DelegatingHandler
    {
        private int _count;

        public int Count => _count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post)
            {
                Interlocked.Increment(ref _count);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
