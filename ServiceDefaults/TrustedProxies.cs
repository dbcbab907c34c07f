using System.Net;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Who may say where a request came from. A service believes <c>X-Forwarded-*</c> only from a
/// peer in <c>ForwardedHeaders:TrustedNetworks</c> (CIDR ranges, comma-separated) or on loopback,
/// where the AppHost's proxy runs in local runs; in a cluster that is the gateway's pod network, and
/// a NetworkPolicy lets only the gateway reach the services (docs/decisions/0002). The gateway itself
/// trusts only the ingress in front of it, never loopback, since browsers reach it directly.
/// </summary>
public static class TrustedProxies
{
    public const string ConfigurationKey = "ForwardedHeaders:TrustedNetworks";

    private static readonly IPNetwork[] Loopback = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    /// <param name="trustLoopback">False for the gateway, which browsers reach directly.</param>
    public static IHostApplicationBuilder AddTrustedProxies(this IHostApplicationBuilder builder, bool trustLoopback = true)
    {
        var networks = Networks(builder.Configuration, trustLoopback);
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Only the last entry, the one the trusted proxy wrote: anything before it came from the client.
            options.ForwardLimit = 1;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        return builder;
    }

    /// <summary>Applies the forwarded headers of a trusted proxy to the request (scheme, host, client address).</summary>
    public static WebApplication UseForwardedHeadersFromTrustedProxies(this WebApplication app)
    {
        app.UseForwardedHeaders();
        return app;
    }

    /// <summary>True when <paramref name="peer"/> is a proxy whose forwarded headers this service believes.</summary>
    public static bool IsTrusted(HttpContext context, IPAddress peer)
    {
        var options = context.RequestServices?.GetService<IOptions<ForwardedHeadersOptions>>()?.Value;
        var networks = options is { KnownIPNetworks.Count: > 0 } ? options.KnownIPNetworks : (IEnumerable<IPNetwork>)Loopback;
        var address = peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer;
        return networks.Any(network => network.Contains(address)) || options?.KnownProxies.Contains(peer) == true;
    }

    private static List<IPNetwork> Networks(IConfiguration configuration, bool trustLoopback)
    {
        var networks = trustLoopback ? new List<IPNetwork>(Loopback) : [];
        foreach (var entry in (configuration[ConfigurationKey] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            networks.Add(IPNetwork.TryParse(entry, out var network)
                ? network
                : throw new InvalidOperationException($"{ConfigurationKey} holds '{entry}', which is not a CIDR range such as 10.244.0.0/16."));
        }

        return networks;
    }
}
