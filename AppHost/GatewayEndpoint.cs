using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CareMessaging.AppHost;

/// <summary>
/// Gives the gateway a stable local port (Gateway:Port, default 8400) so bookmarks and the
/// printed address keep working across runs, and prints that address once the gateway is up.
/// </summary>
internal static class GatewayEndpoint
{
    public const int DefaultPort = 8400;

    public static IResourceBuilder<ProjectResource> WithPublicEndpoint(
        this IResourceBuilder<ProjectResource> gateway, IConfiguration configuration)
    {
        var requested = configuration.GetValue("Gateway:Port", DefaultPort);
        // 0 asks for any free port (tests); a taken port falls back to a free one rather than failing the start.
        int? port = requested > 0 && IsFree(requested) ? requested : null;

        gateway.WithExternalHttpEndpoints()
            .WithEndpoint("http", endpoint => endpoint.Port = port);

        gateway.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(gateway.Resource, (@event, _) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CareMessaging");
            var url = gateway.Resource.GetEndpoint("http").Url;
            if (requested > 0 && port is null)
            {
                logger.LogWarning("Port {Port} was taken, so the gateway listens on another port", requested);
            }

            logger.LogInformation("CareMessaging is ready at {GatewayUrl}", url);
            return Task.CompletedTask;
        });
        return gateway;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
