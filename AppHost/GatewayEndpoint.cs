using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CareMessaging.AppHost;

/// <summary>
/// Gives the gateway a stable local port (Gateway:Port, default 8400) so bookmarks and the
/// printed address keep working across runs, and prints that address once the gateway is up.
/// The public address is known before anything starts, because the Identity service's issuer
/// and the gateway's registered redirect addresses are derived from it.
/// </summary>
internal static class GatewayEndpoint
{
    public const int DefaultPort = 8400;

    /// <summary>Where browsers reach the gateway: <c>Gateway:PublicUrl</c> when deployed behind an ingress, else the local port.</summary>
    public sealed record PublicAddress(int Port, bool RequestedPortTaken, string Url);

    public static PublicAddress Resolve(IConfiguration configuration)
    {
        var requested = configuration.GetValue("Gateway:Port", DefaultPort);
        // 0 asks for any free port (tests); a taken port falls back to a free one rather than failing the start.
        var port = requested > 0 && IsFree(requested) ? requested : AnyFreePort();
        var url = configuration["Gateway:PublicUrl"] is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"http://localhost:{port}";
        return new PublicAddress(port, requested > 0 && port != requested, url);
    }

    public static IResourceBuilder<ProjectResource> WithPublicEndpoint(
        this IResourceBuilder<ProjectResource> gateway, PublicAddress address)
    {
        // Not behind Aspire's local proxy: the gateway itself listens on exactly this port, which
        // test hosts would otherwise remap, and the port is part of the token issuer.
        gateway.WithExternalHttpEndpoints()
            .WithEndpoint("http", endpoint =>
            {
                endpoint.IsProxied = false;
                endpoint.Port = address.Port;
                endpoint.TargetPort = address.Port;
            });

        gateway.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(gateway.Resource, (@event, _) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CareMessaging");
            var url = gateway.Resource.GetEndpoint("http").Url;
            if (address.RequestedPortTaken)
            {
                logger.LogWarning("The requested port was taken, so the gateway listens on port {Port}", address.Port);
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

    private static int AnyFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
