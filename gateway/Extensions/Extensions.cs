using CareMessaging.Contracts;
using CareMessaging.Gateway.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using StackExchange.Redis;

namespace CareMessaging.Gateway.Extensions;

internal static class Extensions
{
    /// <summary>Largest request body the gateway accepts; a message is at most 5000 characters.</summary>
    public const long DefaultMaxRequestBodyBytes = 256 * 1024;

    public static void AddGatewayServices(this IHostApplicationBuilder builder)
    {
        var maxBody = builder.Configuration.GetValue("Gateway:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes);
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = maxBody;
        });

        builder.AddRedisClient(ResourceNames.Redis);
        builder.AddMessaging(ResourceNames.Gateway);

        // Cookies, anti-forgery tokens and stored sessions are protected with keys that every replica shares.
        builder.AddSharedDataProtection(ResourceNames.Gateway);

        builder.AddBrowserAuthentication();
        builder.AddCsrfProtection();

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver()
            .AddTokenRelay();
    }

    /// <summary>
    /// A body larger than the limit is refused before authentication looks at the request: the
    /// first read makes Kestrel answer 413 itself, closing the connection the way it does for any
    /// over-long body.
    /// </summary>
    public static void UseRequestBodyLimit(this WebApplication app)
    {
        var maxBody = app.Configuration.GetValue("Gateway:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes);
        app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength > maxBody)
            {
                _ = await context.Request.Body.ReadAsync(new byte[1]);
            }

            await next(context);
        });
    }

    public static void MapGatewayProxy(this WebApplication app) =>
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(TokenRelay.AttachTokenAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });

    /// <summary>
    /// An /api path that no service owns is answered here, as ProblemDetails, rather than
    /// falling through to the web front end's catch-all.
    /// </summary>
    public static void MapUnknownApiRoutes(this WebApplication app) =>
        app.Map("/api/{**rest}", static () => TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Not found",
            detail: "No API answers at this address.")).AllowAnonymous();
}
