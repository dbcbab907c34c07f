using System.Net.Http.Headers;
using CareMessaging.Gateway.Sessions;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace CareMessaging.Gateway.Security;

/// <summary>
/// On every proxied request, including the WebSocket upgrade of <c>/hubs/**</c>, the browser's
/// own Authorization header is dropped. On routes marked <c>"RelayToken": "true"</c> the
/// session's access token is sent instead, refreshed when it nears expiry (a session that can no
/// longer get one is a 401); <c>"optional"</c> (the web front end) relays it when there is one.
/// The gateway's own cookies stay at the gateway.
/// </summary>
internal static class TokenRelay
{
    private const string TokenItem = "CareMessaging.AccessToken";
    private const string RelayMetadata = "RelayToken";

    public static IReverseProxyBuilder AddTokenRelay(this IReverseProxyBuilder proxy) =>
        proxy.AddTransforms(context =>
        {
            context.AddRequestTransform(transform =>
            {
                transform.ProxyRequest.Headers.Authorization = null;
                if (transform.HttpContext.Items[TokenItem] is string token)
                {
                    transform.ProxyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                StripGatewayCookies(transform.ProxyRequest, transform.HttpContext);
                return ValueTask.CompletedTask;
            });
        });

    /// <summary>Runs in the proxy pipeline: gets the token for routes that relay one, or answers 401 when the session can no longer get one.</summary>
    public static async Task AttachTokenAsync(HttpContext context, Func<Task> next)
    {
        var route = context.GetReverseProxyFeature().Route.Config;
        var relay = route.Metadata?.GetValueOrDefault(RelayMetadata);
        if (relay is "true" or "optional" && context.User.Identity?.IsAuthenticated == true)
        {
            var token = await context.RequestServices.GetRequiredService<AccessTokens>().GetAsync(context);
            if (token.Outcome == TokenOutcome.Unavailable && relay == "true")
            {
                context.Response.Headers.RetryAfter = "5";
                await BrowserAuthentication.Problem(context, StatusCodes.Status503ServiceUnavailable, "Sign-in service busy",
                    "Your session could not be renewed just now. Try again in a few seconds; you stay signed in.");
                return;
            }

            if (token.Outcome == TokenOutcome.Ended && relay == "true")
            {
                await BrowserAuthentication.Problem(context, StatusCodes.Status401Unauthorized, "Session ended", "Your session has ended. Sign in again at /signin.");
                return;
            }

            if (token.Token is { } value)
            {
                context.Items[TokenItem] = value;
            }
        }

        await next();
    }

    private static void StripGatewayCookies(HttpRequestMessage request, HttpContext context)
    {
        if (!request.Headers.TryGetValues("Cookie", out var values))
        {
            return;
        }

        var sessionCookie = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SessionSettings>>().Value.CookieName;
        var kept = values
            .SelectMany(header => header.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(cookie =>
            {
                var name = cookie.Split('=', 2)[0];
                return !name.StartsWith(sessionCookie, StringComparison.Ordinal)
                    && name != "cm.af" && name != Csrf.ReadableCookieName
                    && !name.StartsWith(".AspNetCore.Correlation", StringComparison.Ordinal)
                    && !name.StartsWith(".AspNetCore.OpenIdConnect", StringComparison.Ordinal);
            })
            .ToList();
        request.Headers.Remove("Cookie");
        if (kept.Count > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", string.Join("; ", kept));
        }
    }
}
