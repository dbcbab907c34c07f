using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace CareMessaging.Gateway.Sessions;

/// <summary>
/// The signed-in user's access token for relaying to the services, refreshed with the session's
/// refresh token when it nears expiry. Refreshes of one session are serialised in this process
/// and the ticket is re-read first, so concurrent requests spend the refresh token once; across
/// replicas the identity provider's reuse leeway covers the race.
/// </summary>
public sealed partial class AccessTokens(
    RedisSessionStore store,
    IOptionsMonitor<OpenIdConnectOptions> oidcOptions,
    IOptions<SessionSettings> settings,
    TimeProvider clock,
    ILogger<AccessTokens> logger)
{
    private static readonly SemaphoreSlim[] Gates = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>A usable access token, or null when the request has no session or the session can no longer get one.</summary>
    public async Task<string?> GetAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Properties is null || RedisSessionStore.SessionIdOf(result.Principal) is not { } sessionId)
        {
            return null;
        }

        if (Fresh(result.Properties) is { } token)
        {
            return token;
        }

        var gate = Gates[(sessionId.GetHashCode() & int.MaxValue) % Gates.Length];
        await gate.WaitAsync(context.RequestAborted);
        try
        {
            // Another request may have refreshed while this one waited.
            var ticket = await store.RetrieveAsync(sessionId, context, context.RequestAborted);
            if (ticket is null)
            {
                return null;
            }

            if (Fresh(ticket.Properties) is { } refreshed)
            {
                return refreshed;
            }

            if (!await RefreshAsync(ticket.Properties, context.RequestAborted))
            {
                await store.RemoveAsync(sessionId, context, context.RequestAborted);
                return null;
            }

            await store.RenewAsync(sessionId, ticket, context, context.RequestAborted);
            return ticket.Properties.GetTokenValue("access_token");
        }
        finally
        {
            gate.Release();
        }
    }

    private string? Fresh(AuthenticationProperties properties)
    {
        var token = properties.GetTokenValue("access_token");
        return token is not null
            && DateTimeOffset.TryParse(properties.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiresAt)
            && expiresAt - clock.GetUtcNow() > settings.Value.RefreshBefore
                ? token
                : null;
    }

    private async Task<bool> RefreshAsync(AuthenticationProperties properties, CancellationToken cancellationToken)
    {
        var refreshToken = properties.GetTokenValue("refresh_token");
        if (refreshToken is null)
        {
            return false;
        }

        var options = oidcOptions.Get(OpenIdConnectDefaults.AuthenticationScheme);
        var configuration = await options.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, configuration.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken,
                ["client_id"] = options.ClientId!,
                ["client_secret"] = options.ClientSecret!,
            }),
        };
        using var response = await options.Backchannel.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            LogRefreshRefused(logger, (int)response.StatusCode);
            return false;
        }

        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var root = body.RootElement;
        var tokens = properties.GetTokens().ToDictionary(t => t.Name, t => t.Value, StringComparer.Ordinal);
        tokens["access_token"] = root.GetProperty("access_token").GetString()!;
        if (root.TryGetProperty("refresh_token", out var rolled) && rolled.GetString() is { } newRefreshToken)
        {
            tokens["refresh_token"] = newRefreshToken;
        }

        if (root.TryGetProperty("id_token", out var idToken) && idToken.GetString() is { } newIdToken)
        {
            tokens["id_token"] = newIdToken;
        }

        var expiresIn = root.TryGetProperty("expires_in", out var seconds) ? seconds.GetInt32() : 300;
        tokens["expires_at"] = (clock.GetUtcNow() + TimeSpan.FromSeconds(expiresIn)).ToString("o", CultureInfo.InvariantCulture);
        properties.StoreTokens(tokens.Select(t => new AuthenticationToken { Name = t.Key, Value = t.Value }));
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The identity provider refused to refresh a session's token ({Status}); the session ends")]
    private static partial void LogRefreshRefused(ILogger logger, int status);
}
