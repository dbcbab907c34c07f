using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;

namespace CareMessaging.EventServiceTests.Infrastructure;

/// <summary>
/// Serves GET /api/conversations/internal/read-model from a <see cref="ConversationWorld"/> in the
/// contract's shape (pages of two with a cursor), standing in for the Conversation service at
/// service level, together with the identity provider's token endpoint; it answers only requests
/// carrying a valid token with the read-model scope. The whole-stack tests use the real services.
/// </summary>
public sealed class ReadModelStandIn : IAsyncDisposable
{
    public const string BaseAddress = "http://conversation.test";
    private const int PageSize = 2;
    private readonly WebApplication _app;

    private ReadModelStandIn(WebApplication app) => _app = app;

    /// <summary>The world the export shows; empty until a test sets it.</summary>
    public ConversationWorld World { get; set; } = new();

    public const string TokenPath = "/connect/token";

    /// <summary>Export requests answered: each carried a valid token with the read-model scope.</summary>
    public int Requests { get; private set; }

    public int RefusedRequests { get; private set; }

    /// <summary>False while the Conversation service is "down": the export then answers 503.</summary>
    public bool Available { get; set; } = true;

    /// <summary>Export requests answered with 503 because <see cref="Available"/> was false.</summary>
    public int UnavailableRequests { get; private set; }

    /// <summary>The ServiceClient settings a service under test needs to get its token here.</summary>
    public static Dictionary<string, string?> ServiceClientSettings(string clientId) => new()
    {
        ["ServiceClient:ClientId"] = clientId,
        ["ServiceClient:ClientSecret"] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
        ["ServiceClient:Scope"] = Policies.ReadModelScope,
        ["ServiceClient:TokenEndpoint"] = BaseAddress + TokenPath,
    };

    private static async Task<bool> HoldsReadModelTokenAsync(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return false;
        }

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(header["Bearer ".Length..], EventServicesFixture.Tokens.ValidationParameters);
        return result.IsValid && result.Claims.TryGetValue("scope", out var scope)
            && scope.ToString()!.Split(' ').Contains(Policies.ReadModelScope);
    }

    public static async Task<ReadModelStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var app = builder.Build();
        var standIn = new ReadModelStandIn(app);
        // The identity provider's token endpoint, for the services' client-credentials tokens.
        app.MapPost(TokenPath, async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            return TypedResults.Ok(new Dictionary<string, object>
            {
                ["access_token"] = EventServicesFixture.Tokens.ServiceClient(form["client_id"].ToString(), form["scope"].ToString()),
                ["token_type"] = "Bearer",
                ["expires_in"] = 300,
            });
        });
        app.MapGet("/api/conversations/internal/read-model", async Task<IResult> (string? cursor, HttpRequest request) =>
        {
            if (!await HoldsReadModelTokenAsync(request))
            {
                standIn.RefusedRequests++;
                return TypedResults.Unauthorized();
            }

            if (!standIn.Available)
            {
                standIn.UnavailableRequests++;
                return TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            standIn.Requests++;
            var all = standIn.World.Export();
            var start = int.TryParse(cursor, out var offset) ? offset : 0;
            var next = start + PageSize < all.Count ? (start + PageSize).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return TypedResults.Ok(new ReadModelPage { Items = all.Skip(start).Take(PageSize).ToList(), NextCursor = next });
        });
        await app.StartAsync();
        return standIn;
    }

    public HttpMessageHandler CreateHandler() => _app.GetTestServer().CreateHandler();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
