using System.Security.Claims;
using CareMessaging.Contracts;
using CareMessaging.Identity.Accounts;
using CareMessaging.Identity.Oidc;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CareMessaging.Identity.Apis;

/// <summary>
/// The OpenID Connect endpoints that need the application: OpenIddict validates each request
/// (client, redirect URI, PKCE, scopes) before it reaches these handlers.
/// </summary>
internal static class ConnectApi
{
    public static void MapConnectApi(this WebApplication app)
    {
        var connect = app.MapGroup("/connect").AllowAnonymous().ExcludeFromDescription();
        connect.MapMethods("/authorize", [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync);
        connect.MapPost("/token", ExchangeAsync);
        connect.MapMethods("/endsession", [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSessionAsync);
    }

    /// <summary>
    /// Issues an authorization code to a user signed in with the Identity cookie, then ends that
    /// cookie: every gateway session starts with a fresh sign-in, and the session id (sid) in the
    /// tokens is new for each.
    /// </summary>
    private static async Task<IResult> AuthorizeAsync(HttpContext http, [AsParameters] AccountServices services)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        var cookie = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);

        if (request.HasPromptValue(PromptValues.Login) && cookie.Succeeded)
        {
            // The client asks for a fresh sign-in: forget this one and come back without the prompt.
            await http.SignOutAsync(IdentityConstants.ApplicationScheme);
            return SignInAgain(http, removePrompt: true);
        }

        if (!cookie.Succeeded || cookie.Principal is null)
        {
            return request.HasPromptValue(PromptValues.None)
                ? Forbid(Errors.LoginRequired, "The user is not signed in.")
                : SignInAgain(http, removePrompt: request.HasPromptValue(PromptValues.Login));
        }

        var user = await services.Users.GetUserAsync(cookie.Principal);
        if (user is null || !await services.SignIn.CanSignInAsync(user) || await services.Users.IsLockedOutAsync(user))
        {
            await http.SignOutAsync(IdentityConstants.ApplicationScheme);
            return SignInAgain(http, removePrompt: false);
        }

        var profile = await AccountProfile.LoadAsync(services.Users, user);
        var multiFactor = cookie.Principal.HasClaim("amr", "mfa");
        if (!multiFactor && services.Settings.Value.MfaRequiredFor(profile.Role, services.Environment.IsDevelopment()))
        {
            if (!await services.Users.GetTwoFactorEnabledAsync(user))
            {
                // Staff must enrol an authenticator before their first session.
                return Results.Redirect($"{http.Request.PathBase}/account/mfa-enrol?returnUrl={Uri.EscapeDataString(CurrentUrl(http, removePrompt: false))}");
            }

            await http.SignOutAsync(IdentityConstants.ApplicationScheme);
            return SignInAgain(http, removePrompt: false);
        }

        var sessionId = Guid.NewGuid().ToString("N");
        var principal = await TokenPrincipalAsync(services, profile, sessionId, request.GetScopes());
        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        await services.Audit.SucceededAsync(user.Id, profile.Role ?? "none", sessionId, multiFactor);
        return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>Authorization code, refresh token and client credentials grants.</summary>
    private static async Task<IResult> ExchangeAsync(HttpContext http, [AsParameters] AccountServices services, SignInRateLimits limits)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        if (request.IsClientCredentialsGrantType())
        {
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, request.ClientId).SetClaim(Claims.Name, request.ClientId);
            var principal = new ClaimsPrincipal(identity);
            principal.SetScopes(request.GetScopes());
            principal.SetResources(await services.Scopes.ListResourcesAsync(principal.GetScopes()).ToListAsync());
            principal.SetDestinations(_ => [Destinations.AccessToken]);
            return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var userId = result.Principal?.GetClaim(Claims.Subject);
            var user = userId is null ? null : await services.Users.FindByIdAsync(userId);
            if (user is null || !await services.SignIn.CanSignInAsync(user) || await services.Users.IsLockedOutAsync(user))
            {
                return Forbid(Errors.InvalidGrant, "The account can no longer sign in.");
            }

            if (request.IsRefreshTokenGrantType() && !limits.TryRefresh(request.ClientId ?? string.Empty, user.Id))
            {
                // Transient: the gateway keeps the session and tries again (docs/decisions/0026).
                http.Response.Headers.RetryAfter = "10";
                return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many refreshes",
                    detail: "This session's tokens were refreshed too often. Try again in a few seconds.");
            }

            // Claims are read again from the account on every refresh: a changed team or role applies within minutes.
            var profile = await AccountProfile.LoadAsync(services.Users, user);
            var sessionId = result.Principal!.GetClaim(CareMessagingClaims.SessionId) ?? Guid.NewGuid().ToString("N");
            var principal = await TokenPrincipalAsync(services, profile, sessionId, result.Principal!.GetScopes());
            return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Forbid(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    /// <summary>RP-initiated sign-out: ends any Identity cookie and returns to the client's registered address.</summary>
    private static async Task<IResult> EndSessionAsync(HttpContext http)
    {
        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        return Results.SignOut(
            new AuthenticationProperties { RedirectUri = "/" },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static async Task<ClaimsPrincipal> TokenPrincipalAsync(
        AccountServices services, AccountProfile profile, string sessionId, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(
            profile.ToClaims(sessionId),
            OpenIddictServerAspNetCoreDefaults.AuthenticationScheme,
            CareMessagingClaims.Name,
            CareMessagingClaims.Role);
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(scopes);
        principal.SetResources(await services.Scopes.ListResourcesAsync(principal.GetScopes()).ToListAsync());
        // The gateway's session needs the same claims as the services, so both tokens carry them.
        principal.SetDestinations(static _ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return principal;
    }

    private static IResult SignInAgain(HttpContext http, bool removePrompt) =>
        Results.Challenge(
            new AuthenticationProperties { RedirectUri = CurrentUrl(http, removePrompt) },
            [IdentityConstants.ApplicationScheme]);

    /// <summary>The authorization request's own address (path base included), to come back to after signing in.</summary>
    private static string CurrentUrl(HttpContext http, bool removePrompt)
    {
        var parameters = http.Request.HasFormContentType
            ? http.Request.Form.Select(p => KeyValuePair.Create(p.Key, p.Value))
            : http.Request.Query.Select(p => KeyValuePair.Create(p.Key, p.Value));
        var query = QueryString.Create(parameters.Where(p => !removePrompt || p.Key != Parameters.Prompt));
        return http.Request.PathBase + http.Request.Path + query.ToUriComponent();
    }

    private static IResult Forbid(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}

/// <summary>What the account endpoints need, bundled.</summary>
internal sealed record AccountServices(
    UserManager<IdentityUser> Users,
    SignInManager<IdentityUser> SignIn,
    IOpenIddictScopeManager Scopes,
    SignInAudit Audit,
    IOptions<IdentitySettings> Settings,
    IHostEnvironment Environment);
