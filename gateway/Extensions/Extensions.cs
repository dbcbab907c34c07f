using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CareMessaging.Gateway.Extensions;

internal static class Extensions
{
    /// <summary>Largest request body the gateway accepts; a message is at most 5000 characters.</summary>
    public const long DefaultMaxRequestBodyBytes = 256 * 1024;

    public static void AddGatewayServices(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize =
                builder.Configuration.GetValue("Gateway:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes);
        });

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();
    }

    /// <summary>
    /// An /api path that no service owns is answered here, as ProblemDetails, rather than
    /// falling through to the web front end's catch-all.
    /// </summary>
    public static void MapUnknownApiRoutes(this WebApplication app) =>
        app.Map("/api/{**rest}", static () => TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Not found",
            detail: "No API answers at this address."));
}
