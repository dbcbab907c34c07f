using CareMessaging.Contracts;
using CareMessaging.Gateway.Security;
using CareMessaging.Gateway.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace CareMessaging.Gateway.Apis;

/// <summary>Browser sign-in and sign-out at the gateway: <c>GET /signin?returnUrl=</c> and <c>POST /signout</c>.</summary>
internal static class SignInApi
{
    public static void MapSignInApi(this WebApplication app)
    {
        app.MapGet("/signin", SignIn).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/signout", SignOutAsync).AllowAnonymous().ExcludeFromDescription();
    }

    /// <summary>
    /// Starts the OpenID Connect sign-in, coming back to <paramref name="returnUrl"/> (a path on this
    /// site) afterwards. <paramref name="fresh"/> asks the provider for the password again even when
    /// signed in (administrative routes need a recent sign-in); <paramref name="notice"/> carries why
    /// the sign-in page is shown again.
    /// </summary>
    public static IResult SignIn(HttpContext context, string? returnUrl, bool? fresh, string? notice)
    {
        var target = SafeReturnUrl(returnUrl);
        if (context.User.Identity?.IsAuthenticated == true && fresh != true)
        {
            return TypedResults.LocalRedirect(target);
        }

        var properties = new OpenIdConnectChallengeProperties { RedirectUri = target };
        if (fresh == true)
        {
            properties.Prompt = "login";
        }

        if (notice == SignInNotices.Interrupted)
        {
            properties.Items[BrowserAuthentication.NoticeParameter] = notice;
        }

        return TypedResults.Challenge(properties, [OpenIdConnectDefaults.AuthenticationScheme]);
    }

    /// <summary>Ends this browser's session here and at the identity provider; anti-forgery is checked before this runs.</summary>
    public static async Task<IResult> SignOutAsync(HttpContext context, SessionAudit audit)
    {
        if (context.User.Identity?.IsAuthenticated != true || RedisSessionStore.SessionIdOf(context.User) is not { } sessionId)
        {
            return TypedResults.LocalRedirect("/");
        }

        var userId = context.User.FindFirst(CareMessagingClaims.Subject)?.Value ?? string.Empty;
        await audit.SignedOutAsync(userId, sessionId, everywhere: false);
        // The provider's sign-out needs the id token, read from the session before it is removed.
        return TypedResults.SignOut(
            new AuthenticationProperties { RedirectUri = "/" },
            [OpenIdConnectDefaults.AuthenticationScheme, CookieAuthenticationDefaults.AuthenticationScheme]);
    }

    /// <summary>
    /// Only a path on this site: never another host, a protocol-relative or a backslash address.
    /// Characters beyond ASCII are percent-encoded, as a Location header must carry them.
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && !returnUrl.Any(char.IsControl)
            ? EncodeBeyondAscii(returnUrl)
            : "/";

    private static string EncodeBeyondAscii(string value) =>
        value.All(char.IsAscii)
            ? value
            : string.Concat(value.EnumerateRunes().Select(rune => rune.IsAscii
                ? rune.ToString()
                : string.Concat(System.Text.Encoding.UTF8.GetBytes(rune.ToString()).Select(b => $"%{b:X2}"))));
}
