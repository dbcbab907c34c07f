using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Text.Json;
using CareMessaging.Gateway.Security;
using CareMessaging.ServiceDefaults;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CareMessaging.Gateway.Sessions;

/// <summary>What asking for a session's access token came to.</summary>
public enum TokenOutcome
{
    /// <summary>A usable token.</summary>
    Ready,

    /// <summary>The request has no session, or its session can no longer get a token: it has ended.</summary>
    Ended,

    /// <summary>The identity provider is limiting or failing for now: the session stays, the client tries again later.</summary>
    Unavailable,
}

/// <summary>An access token, or why there is none.</summary>
public readonly record struct SessionToken(TokenOutcome Outcome, string? Token = null);

/// <summary>
/// The signed-in user's access token for relaying to the services, refreshed with the session's
/// refresh token when it nears expiry. Refreshes of one session are serialised in this process
/// and the ticket is re-read first, so concurrent requests spend the refresh token once; across
/// replicas the identity provider's reuse leeway covers the race. Each refresh also reads the
/// user's claims again from the new ID token, so a changed role or team applies within one token
/// lifetime. Only the provider's refusal ends the session; a 429, a 5xx or no answer keeps it,
/// relaying the current token while it lasts and answering 503 after.
/// </summary>
public sealed partial class AccessTokens(
    RedisSessionStore store,
    IOptionsMonitor<OpenIdConnectOptions> oidcOptions,
    IOptions<SessionSettings> settings,
    OidcClaimMap claimMap,
    TimeProvider clock,
    ILogger<AccessTokens> logger)
{
    private static readonly SemaphoreSlim[] Gates = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>How long a refresh may take before it counts as the provider not answering.</summary>
    private static readonly TimeSpan RefreshTimeout = TimeSpan.FromSeconds(10);

    public async Task<SessionToken> GetAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Properties is null || RedisSessionStore.SessionIdOf(result.Principal) is not { } sessionId)
        {
            return new(TokenOutcome.Ended);
        }

        if (Fresh(result.Properties) is { } token)
        {
            return new(TokenOutcome.Ready, token);
        }

        var gate = Gates[(sessionId.GetHashCode() & int.MaxValue) % Gates.Length];
        await gate.WaitAsync(context.RequestAborted);
        try
        {
            // Another request may have refreshed while this one waited.
            var ticket = await store.RetrieveAsync(sessionId, context, context.RequestAborted);
            if (ticket is null)
            {
                return new(TokenOutcome.Ended);
            }

            if (Fresh(ticket.Properties) is { } refreshed)
            {
                return new(TokenOutcome.Ready, refreshed);
            }

            var (outcome, principal) = await RefreshAsync(ticket, context.RequestAborted);
            switch (outcome)
            {
                case TokenOutcome.Ended:
                    await store.RemoveAsync(sessionId, context, context.RequestAborted);
                    await RedisSessionStore.EndedAsync(context, principal?.FindFirstValue("sub") ?? string.Empty, sessionId,
                        CareMessaging.Contracts.Identity.SessionEndReason.RefreshRefused);
                    return new(TokenOutcome.Ended);
                case TokenOutcome.Unavailable:
                    return StillValid(ticket.Properties) is { } current ? new(TokenOutcome.Ready, current) : new(TokenOutcome.Unavailable);
            }

            var renewed = new AuthenticationTicket(principal!, ticket.Properties, ticket.AuthenticationScheme);
            await store.RenewAsync(sessionId, renewed, context, context.RequestAborted);
            return new(TokenOutcome.Ready, ticket.Properties.GetTokenValue("access_token"));
        }
        finally
        {
            gate.Release();
        }
    }

    private string? Fresh(AuthenticationProperties properties) => ValidFor(properties, settings.Value.RefreshBefore);

    private string? StillValid(AuthenticationProperties properties) => ValidFor(properties, TimeSpan.FromSeconds(5));

    private string? ValidFor(AuthenticationProperties properties, TimeSpan margin)
    {
        var token = properties.GetTokenValue("access_token");
        return token is not null
            && DateTimeOffset.TryParse(properties.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiresAt)
            && expiresAt - clock.GetUtcNow() > margin
                ? token
                : null;
    }

    /// <summary>Refreshes the ticket's tokens in place; on success also returns the principal with the claims the new ID token states.</summary>
    private async Task<(TokenOutcome Outcome, ClaimsPrincipal? Principal)> RefreshAsync(AuthenticationTicket ticket, CancellationToken cancellationToken)
    {
        var properties = ticket.Properties;
        var refreshToken = properties.GetTokenValue("refresh_token");
        if (refreshToken is null)
        {
            return (TokenOutcome.Ended, ticket.Principal);
        }

        var options = oidcOptions.Get(OpenIdConnectDefaults.AuthenticationScheme);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RefreshTimeout);
        HttpResponseMessage response;
        Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await options.ConfigurationManager!.GetConfigurationAsync(timeout.Token);
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
            response = await options.Backchannel.SendAsync(request, timeout.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogRefreshUnavailable(logger, exception.GetType().Name);
            return (TokenOutcome.Unavailable, null);
        }

        using (response)
        {
            if (IsTransient(response.StatusCode))
            {
                LogRefreshUnavailable(logger, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                return (TokenOutcome.Unavailable, null);
            }

            if (!response.IsSuccessStatusCode)
            {
                LogRefreshRefused(logger, (int)response.StatusCode);
                return (TokenOutcome.Ended, ticket.Principal);
            }

            using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            var root = body.RootElement;
            var tokens = properties.GetTokens().ToDictionary(t => t.Name, t => t.Value, StringComparer.Ordinal);
            tokens["access_token"] = root.GetProperty("access_token").GetString()!;
            if (root.TryGetProperty("refresh_token", out var rolled) && rolled.GetString() is { } newRefreshToken)
            {
                tokens["refresh_token"] = newRefreshToken;
            }

            var principal = ticket.Principal;
            if (root.TryGetProperty("id_token", out var idToken) && idToken.GetString() is { } newIdToken)
            {
                tokens["id_token"] = newIdToken;
                principal = await PrincipalFromAsync(newIdToken, ticket.Principal, options, configuration) ?? ticket.Principal;
            }

            var expiresIn = root.TryGetProperty("expires_in", out var seconds) ? seconds.GetInt32() : 300;
            tokens["expires_at"] = (clock.GetUtcNow() + TimeSpan.FromSeconds(expiresIn)).ToString("o", CultureInfo.InvariantCulture);
            properties.StoreTokens(tokens.Select(t => new AuthenticationToken { Name = t.Key, Value = t.Value }));
            return (TokenOutcome.Ready, principal);
        }
    }

    /// <summary>
    /// The session's principal with the claims of a refreshed ID token, validated like the one at
    /// sign-in; the gateway's own claims (session id, sign-in time) are kept. Null when the token
    /// does not validate: the claims stay as they were and the refresh still counts.
    /// </summary>
    private async Task<ClaimsPrincipal?> PrincipalFromAsync(
        string idToken, ClaimsPrincipal current, OpenIdConnectOptions options,
        Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration configuration)
    {
        var parameters = options.TokenValidationParameters.Clone();
        parameters.ValidIssuer ??= configuration.Issuer;
        parameters.ValidAudience ??= options.ClientId;
        parameters.IssuerSigningKeys = configuration.SigningKeys;
        var validated = await options.TokenHandler.ValidateTokenAsync(idToken, parameters);
        if (!validated.IsValid)
        {
            LogClaimsNotRefreshed(logger, validated.Exception?.GetType().Name ?? "invalid");
            return null;
        }

        var identity = new ClaimsIdentity(
            current.Identity?.AuthenticationType, options.TokenValidationParameters.NameClaimType, options.TokenValidationParameters.RoleClaimType);
        identity.AddClaims(validated.ClaimsIdentity.Claims.Select(claim => new Claim(claim.Type, claim.Value, claim.ValueType, claim.Issuer)));
        using (var noUserInfo = JsonDocument.Parse("{}"))
        {
            foreach (var action in options.ClaimActions)
            {
                action.Run(noUserInfo.RootElement, identity, options.ClaimsIssuer ?? string.Empty);
            }
        }

        ClaimMapping.Apply(identity, claimMap.Map);
        identity.AddClaims(current.Claims.Where(claim => claim.Type is RedisSessionStore.SessionIdClaim or RedisSessionStore.SignedInAtClaim)
            .Select(claim => new Claim(claim.Type, claim.Value)));
        return new ClaimsPrincipal(identity);
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    [LoggerMessage(Level = LogLevel.Information, Message = "The identity provider refused to refresh a session's token ({Status}); the session ends")]
    private static partial void LogRefreshRefused(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing a session's token failed for now ({Reason}); the session is kept and the refresh tried again")]
    private static partial void LogRefreshUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A refreshed ID token did not validate ({Reason}); the session keeps its claims")]
    private static partial void LogClaimsNotRefreshed(ILogger logger, string reason);
}
