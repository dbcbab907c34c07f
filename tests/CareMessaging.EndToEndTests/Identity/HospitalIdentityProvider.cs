using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CareMessaging.EndToEndTests.Identity;

/// <summary>
/// A minimal OpenID Connect provider standing in for a hospital's: its own issuer, single sign-on
/// that signs one nurse in without a page, and its own claim names (<c>display_name</c>,
/// <c>roles</c>, <c>groups</c>) that the gateway maps by configuration. Authorization code with
/// PKCE and a client secret, as a real provider would require.
/// </summary>
internal sealed class HospitalIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "caremessaging-gateway";
    // Generated per run: the in-test provider and the gateway under test share it through configuration.
    public static readonly string ClientSecret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    public const string UserId = "hospital-user-4711";
    public const string DisplayName = "Nurse Hospital-Directory";
    public const string Role = "nurse";
    public static readonly string[] Groups = ["oncology", "primary-care"];

    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "hospital-key" };
    private readonly ConcurrentDictionary<string, (string Nonce, string Challenge)> _codes = new();
    private LoopbackServer? _server;

    public Uri Issuer => _server?.Address ?? throw new InvalidOperationException("The provider has not started.");

    public static async Task<HospitalIdentityProvider> StartAsync()
    {
        var provider = new HospitalIdentityProvider();
        provider._server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/.well-known/openid-configuration", provider.Discovery);
            app.MapGet("/jwks", provider.Keys);
            app.MapGet("/authorize", provider.Authorize);
            app.MapPost("/token", provider.TokenAsync);
            app.MapGet("/logout", (string? post_logout_redirect_uri, string? state) =>
                Results.Redirect($"{post_logout_redirect_uri}?state={Uri.EscapeDataString(state ?? string.Empty)}"));
        });
        return provider;
    }

    private IResult Discovery() => Results.Json(new Dictionary<string, object>
    {
        ["issuer"] = Issuer.ToString(),
        ["authorization_endpoint"] = $"{Issuer}authorize",
        ["token_endpoint"] = $"{Issuer}token",
        ["jwks_uri"] = $"{Issuer}jwks",
        ["end_session_endpoint"] = $"{Issuer}logout",
        ["response_types_supported"] = new[] { "code" },
        ["subject_types_supported"] = new[] { "public" },
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        ["code_challenge_methods_supported"] = new[] { "S256" },
    });

    private IResult Keys()
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(_key);
        return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } });
    }

    private IResult Authorize(HttpRequest request)
    {
        var query = request.Query;
        if (query["client_id"] != ClientId || query["code_challenge_method"] != "S256")
        {
            return Results.BadRequest();
        }

        var code = Guid.NewGuid().ToString("N");
        _codes[code] = (query["nonce"].ToString(), query["code_challenge"].ToString());
        return Results.Redirect($"{query["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(query["state"].ToString())}");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        }

        var nonce = string.Empty;
        if (form["grant_type"] == "authorization_code")
        {
            if (!_codes.TryRemove(form["code"].ToString(), out var issued)
                || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != issued.Challenge)
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            }

            nonce = issued.Nonce;
        }
        else if (form["grant_type"] != "refresh_token")
        {
            return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
        }

        List<Claim> claims =
        [
            new("sub", UserId),
            new("display_name", DisplayName),
            new("roles", Role),
            .. Groups.Select(group => new Claim("groups", group)),
        ];
        var idClaims = nonce.Length > 0 ? [.. claims, new Claim("nonce", nonce)] : claims;
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = Token(claims, audience: "api://caremessaging"),
            ["id_token"] = Token(idClaims, audience: ClientId),
            ["refresh_token"] = Guid.NewGuid().ToString("N"),
            ["token_type"] = "Bearer",
            ["expires_in"] = 300,
        });
    }

    private string Token(IEnumerable<Claim> claims, string audience) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer.ToString(),
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
