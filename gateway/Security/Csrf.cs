using Microsoft.AspNetCore.Antiforgery;

namespace CareMessaging.Gateway.Security;

/// <summary>
/// Anti-forgery for state-changing browser requests (see docs/decisions/0023): every POST, PUT,
/// PATCH or DELETE to <c>/api/**</c>, <c>/identity/api/**</c>, <c>/hubs/**</c> or <c>/signout</c> must carry the token
/// from <c>GET /api/session</c> in the <c>X-CSRF-TOKEN</c> header (or a
/// <c>__RequestVerificationToken</c> form field); the token is bound to the signed-in user and
/// to an HttpOnly cookie. WebSocket upgrades to <c>/hubs/**</c> must come from this origin.
/// </summary>
internal static class Csrf
{
    public const string HeaderName = "X-CSRF-TOKEN";
    public const string ReadableCookieName = "XSRF-TOKEN";

    public static void AddCsrfProtection(this IHostApplicationBuilder builder)
    {
        var secure = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        builder.Services.AddAntiforgery(options =>
        {
            options.HeaderName = HeaderName;
            options.Cookie.Name = "cm.af";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = secure;
        });
    }

    /// <summary>Issues a request token for the signed-in user and also puts it in a cookie the page's script can read.</summary>
    public static string IssueToken(HttpContext context)
    {
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        var tokens = antiforgery.GetAndStoreTokens(context);
        context.Response.Cookies.Append(ReadableCookieName, tokens.RequestToken!, new CookieOptions
        {
            HttpOnly = false,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
        });
        return tokens.RequestToken!;
    }

    public static void UseCsrfProtection(this WebApplication app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        // The Identity service's API is reached with the relayed session too (its administrative routes
        // issue enrolment codes and reset authenticators); its pages have their own anti-forgery tokens.
        var protectedPath = path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") || path.StartsWithSegments("/signout")
            || path.StartsWithSegments("/identity/api");

        if (protectedPath && IsWebSocketUpgrade(context.Request) && !SameOrigin(context))
        {
            await BrowserAuthentication.Problem(context, StatusCodes.Status403Forbidden, "Forbidden", "WebSocket connections are accepted from this site only.");
            return;
        }

        if (protectedPath && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && !HttpMethods.IsOptions(context.Request.Method))
        {
            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                await TypedResults.ValidationProblem(
                    new Dictionary<string, string[]>
                    {
                        [HeaderName] = ["Send the anti-forgery token from GET /api/session in the X-CSRF-TOKEN header."],
                    },
                    title: "Anti-forgery token missing or invalid").ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    });

    private static bool IsWebSocketUpgrade(HttpRequest request) =>
        request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase);

    private static bool SameOrigin(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        return origin.Length == 0
            || (Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                && string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }
}
