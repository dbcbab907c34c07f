using CareMessaging.Contracts;
using CareMessaging.Gateway.Apis;
using CareMessaging.Gateway.Sessions;
using CareMessaging.ServiceDefaults;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace CareMessaging.Gateway.Security;

/// <summary>
/// The gateway signs browsers in as an OpenID Connect client (authorization code with PKCE) of
/// the Identity service or of a hospital identity provider, configured in section <c>Oidc</c>
/// alone, and keeps the result in a cookie session whose ticket lives in Redis.
/// </summary>
internal static class BrowserAuthentication
{
    public const string OidcSection = "Oidc";

    /// <summary>Requests that need a signed-in browser session.</summary>
    public const string SessionPolicy = "session";

    /// <summary>Administrative requests: a session whose sign-in is recent (<see cref="SessionSettings.AdminSignInMaxAge"/>).</summary>
    public const string RecentSignInPolicy = "recent-sign-in";

    /// <summary>Set on the sign-in that follows a broken callback, so the sign-in page says why it is shown again.</summary>
    public const string NoticeParameter = "cm_notice";

    public static void AddBrowserAuthentication(this IHostApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        var oidc = builder.Configuration.GetSection(OidcSection);
        var cookieSecurity = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        builder.Services.AddOptions<SessionSettings>().BindConfiguration(SessionSettings.SectionName);
        builder.Services.AddSingleton<RedisSessionStore>();
        builder.Services.AddSingleton<AccessTokens>();
        builder.Services.AddScoped<SessionAudit>();

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                var session = builder.Configuration.GetSection(SessionSettings.SectionName).Get<SessionSettings>() ?? new SessionSettings();
                options.Cookie.Name = session.CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = cookieSecurity;
                // The idle timeout is enforced by the session store; the cookie lasts at most the absolute lifetime.
                options.ExpireTimeSpan = session.AbsoluteTimeout;
                options.SlidingExpiration = false;
                options.Events.OnRedirectToLogin = context => Problem(context.HttpContext, StatusCodes.Status401Unauthorized,
                    "Not signed in", "Sign in at /signin to use this API.");
                options.Events.OnRedirectToAccessDenied = context => Problem(context.HttpContext, StatusCodes.Status403Forbidden,
                    "Forbidden", "Your role does not allow this.");
            })
            .AddOpenIdConnect(options =>
            {
                options.Authority = oidc["Authority"];
                options.MetadataAddress = oidc["MetadataAddress"];
                options.ClientId = oidc["ClientId"];
                options.ClientSecret = oidc["ClientSecret"];
                options.RequireHttpsMetadata = oidc.GetValue("RequireHttpsMetadata", !development);
                options.ResponseType = OpenIdConnectResponseType.Code;
                // Query, not form_post: the form_post page needs inline script, which the security policy forbids.
                options.ResponseMode = OpenIdConnectResponseMode.Query;
                options.UsePkce = true;
                options.SaveTokens = true;
                options.MapInboundClaims = false;
                options.GetClaimsFromUserInfoEndpoint = oidc.GetValue("GetClaimsFromUserInfoEndpoint", false);
                options.UseTokenLifetime = false;
                options.Scope.Clear();
                foreach (var scope in (oidc["Scopes"] ?? "openid profile offline_access caremessaging.api").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    options.Scope.Add(scope);
                }

                options.CallbackPath = "/signin-oidc";
                options.SignedOutCallbackPath = "/signout-callback-oidc";
                options.SignedOutRedirectUri = "/";
                options.TokenValidationParameters.NameClaimType = CareMessagingClaims.Name;
                options.TokenValidationParameters.RoleClaimType = CareMessagingClaims.Role;
                options.CorrelationCookie.SameSite = SameSiteMode.Lax;
                options.CorrelationCookie.SecurePolicy = cookieSecurity;
                options.NonceCookie.SameSite = SameSiteMode.Lax;
                options.NonceCookie.SecurePolicy = cookieSecurity;

                var claimMap = ClaimMapping.Read(oidc);
                var addresses = new ProviderAddresses(oidc["Authority"], oidc["MetadataAddress"]);
                var sendIdTokenHint = oidc.GetValue("SendIdTokenHint", false);
                options.Events.OnRedirectToIdentityProvider = context =>
                {
                    context.ProtocolMessage.IssuerAddress = addresses.ForBrowser(context.ProtocolMessage.IssuerAddress);
                    if (context.Properties.Items.TryGetValue(NoticeParameter, out var notice) && notice is SignInNotices.Interrupted)
                    {
                        context.ProtocolMessage.SetParameter(NoticeParameter, notice);
                    }

                    return Task.CompletedTask;
                };
                options.Events.OnRedirectToIdentityProviderForSignOut = context =>
                {
                    context.ProtocolMessage.IssuerAddress = addresses.ForBrowser(context.ProtocolMessage.IssuerAddress);
                    // The ID token names the user, their role and patient ID: it stays out of the address
                    // (browser history, proxy logs). The client id tells the provider whose sign-out it is.
                    if (!sendIdTokenHint)
                    {
                        context.ProtocolMessage.IdTokenHint = null;
                        context.ProtocolMessage.ClientId = context.Options.ClientId;
                    }

                    return Task.CompletedTask;
                };
                // A callback without a state, with a forged or expired one, or with the provider's error:
                // back to sign in, with a message, instead of an error page.
                options.Events.OnRemoteFailure = context =>
                {
                    var returnUrl = SignInApi.SafeReturnUrl(context.Properties?.RedirectUri);
                    context.Response.Redirect($"/signin?notice={SignInNotices.Interrupted}&returnUrl={Uri.EscapeDataString(returnUrl)}");
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
                options.Events.OnTicketReceived = EndReplacedSessionAsync;
                options.Events.OnTokenValidated = context =>
                {
                    if (context.Principal?.Identity is System.Security.Claims.ClaimsIdentity identity)
                    {
                        ClaimMapping.Apply(identity, claimMap);
                    }

                    return Task.CompletedTask;
                };
            });

        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<RedisSessionStore>((options, store) => options.SessionStore = store);

        builder.Services.AddSingleton(new OidcClaimMap(ClaimMapping.Read(oidc)));
        builder.Services.AddCareMessagingPolicies();
        builder.Services.AddSingleton<IAuthorizationHandler, RecentSignInHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, RecentSignInResultHandler>();
        builder.Services.Configure<AuthorizationOptions>(options =>
        {
            options.AddPolicy(SessionPolicy, policy => policy
                .AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser());
            options.AddPolicy(RecentSignInPolicy, policy => policy
                .AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new RecentSignInRequirement()));
        });
    }

    /// <summary>
    /// A sign-in in a browser that still holds a session cookie (a fresh sign-in for administration,
    /// or one after the session was revoked) starts a new session: the old one ends, and its cookie
    /// is dropped from the request, so the new ticket is never written under the old session's id.
    /// </summary>
    private static async Task EndReplacedSessionAsync(TicketReceivedContext context)
    {
        var http = context.HttpContext;
        var cookies = http.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        if (cookies.CookieManager.GetRequestCookie(http, cookies.Cookie.Name!) is not { Length: > 0 } cookie)
        {
            return;
        }

        if (cookies.TicketDataFormat.Unprotect(cookie) is { } old && RedisSessionStore.SessionIdOf(old.Principal) is { } oldSession)
        {
            var store = http.RequestServices.GetRequiredService<RedisSessionStore>();
            if (await store.GetAsync(oldSession) is { } session)
            {
                await store.RemoveAsync(oldSession, http, http.RequestAborted);
                await RedisSessionStore.EndedAsync(http, session.UserId, oldSession, CareMessaging.Contracts.Identity.SessionEndReason.Replaced);
            }
        }

        var kept = http.Request.Cookies.Where(c => !c.Key.StartsWith(cookies.Cookie.Name!, StringComparison.Ordinal)).Select(c => $"{c.Key}={c.Value}");
        http.Request.Headers.Cookie = string.Join("; ", kept);
    }

    public static Task Problem(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
}

/// <summary>
/// When the gateway reads the provider's metadata at an internal address (inside the cluster),
/// the endpoints in it are internal too; the browser must be sent to the public ones. The token
/// endpoint stays internal: only the gateway calls it.
/// </summary>
internal sealed class ProviderAddresses(string? authority, string? metadataAddress)
{
    private readonly string? _internalBase = metadataAddress is { Length: > 0 } && metadataAddress.Contains("/.well-known/", StringComparison.Ordinal)
        ? metadataAddress[..(metadataAddress.IndexOf("/.well-known/", StringComparison.Ordinal) + 1)]
        : null;

    private readonly string? _publicBase = authority is { Length: > 0 } ? authority.TrimEnd('/') + "/" : null;

    public string ForBrowser(string address) =>
        _internalBase is not null && _publicBase is not null && address.StartsWith(_internalBase, StringComparison.OrdinalIgnoreCase)
            ? _publicBase + address[_internalBase.Length..]
            : address;
}

/// <summary>The notices the sign-in page knows; a fixed word, never text from the address.</summary>
internal static class SignInNotices
{
    /// <summary>The last sign-in did not finish: the callback had no state, or a stale or forged one.</summary>
    public const string Interrupted = "interrupted";
}

/// <summary>The hospital identity provider's claim names, as <see cref="ClaimMapping"/> reads them from section <c>Oidc:ClaimMap</c>.</summary>
public sealed record OidcClaimMap(IReadOnlyDictionary<string, string> Map);
