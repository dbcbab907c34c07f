extern alias gateway;

using Aspire.Hosting.Testing;
using CareMessaging.Contracts;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CareMessaging.EndToEndTests.Identity;

/// <summary>
/// A second gateway replica hosted in the test against the running stack's Redis, broker and
/// services, with a clock the test moves. Browsers reach it at the stack gateway's public address
/// (the address the Identity service registered), so it shares sessions with the real gateway.
/// </summary>
internal sealed class GatewayHost : WebApplicationFactory<gateway::Program>
{
    /// <summary>Set by a test browser to the address its requests come from, as a connection's peer would be.</summary>
    private const string ClientAddressHeader = "X-Test-Client-Address";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;

    private GatewayHost(Dictionary<string, string?> settings, Uri publicAddress, Action<IServiceCollection>? configureServices)
    {
        _settings = settings;
        PublicAddress = publicAddress;
        _configureServices = configureServices;
    }

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public Uri PublicAddress { get; }

    /// <param name="overrides">Settings on top of the stack's.</param>
    /// <param name="configureServices">Replaces services after the gateway's own (a fault injected into a dependency).</param>
    public static async Task<GatewayHost> StartAsync(
        CareMessagingStack stack, IDictionary<string, string?>? overrides = null, Action<IServiceCollection>? configureServices = null)
    {
        var publicAddress = stack.CreateGatewayClient().BaseAddress!;
        var identity = stack.App.GetEndpoint(ResourceNames.Identity, "http").ToString().TrimEnd('/');
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:sessions"] = await stack.GetConnectionStringAsync(ResourceNames.Sessions),
            ["DataProtection:ActiveKeyId"] = "k1",
            ["DataProtection:Keys:k1"] = stack.IdentitySecrets.GatewayDataProtectionKey,
            ["ConnectionStrings:messaging"] = await stack.GetConnectionStringAsync(ResourceNames.Messaging),
            ["Oidc:Authority"] = stack.IdentityIssuer,
            ["Oidc:MetadataAddress"] = $"{identity}/identity/.well-known/openid-configuration",
            ["Oidc:ClientId"] = ResourceNames.Gateway,
            ["Oidc:ClientSecret"] = stack.IdentitySecrets.GatewayClientSecret,
            ["Oidc:RequireHttpsMetadata"] = "false",
        };
        foreach (var service in new[] { ResourceNames.Identity, ResourceNames.Conversation, ResourceNames.Notification, ResourceNames.Audit, ResourceNames.Stats, ResourceNames.Web })
        {
            settings[$"services:{service}:http:0"] = stack.App.GetEndpoint(service, "http").ToString();
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var host = new GatewayHost(settings, publicAddress, configureServices);
        _ = host.Server;
        return host;
    }

    /// <summary>A browser whose requests to the public address reach this replica; other hosts go over the network.</summary>
    /// <param name="clientAddress">The address the gateway sees the browser's requests come from; loopback when not given.</param>
    public GatewayBrowser CreateBrowser(string? clientAddress = null) =>
        new(PublicAddress, new HostRoutingHandler(PublicAddress, Server.CreateHandler(), clientAddress));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IStartupFilter>(new ClientAddressFilter());
            _configureServices?.Invoke(services);
        });
    }

    /// <summary>Gives each request the peer address its test browser named, before anything else reads it.</summary>
    private sealed class ClientAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.TryParse(context.Request.Headers[ClientAddressHeader], out var address)
                    ? address
                    : IPAddress.Loopback;
                context.Request.Headers.Remove(ClientAddressHeader);
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>Sends requests for one host to the in-memory server and the rest to the network.</summary>
    private sealed class HostRoutingHandler(Uri address, HttpMessageHandler server, string? clientAddress)
        : DelegatingHandler(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        private readonly HttpMessageInvoker _server = new(server);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.Authority != address.Authority)
            {
                return base.SendAsync(request, cancellationToken);
            }

            if (clientAddress is not null)
            {
                request.Headers.Remove(ClientAddressHeader);
                request.Headers.TryAddWithoutValidation(ClientAddressHeader, clientAddress);
            }

            return _server.SendAsync(request, cancellationToken);
        }
    }
}
