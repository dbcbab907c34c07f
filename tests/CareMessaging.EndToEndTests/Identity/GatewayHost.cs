extern alias gateway;

using Aspire.Hosting.Testing;
using CareMessaging.Contracts;
using Microsoft.AspNetCore.Hosting;
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
    private readonly Dictionary<string, string?> _settings;

    private GatewayHost(Dictionary<string, string?> settings, Uri publicAddress)
    {
        _settings = settings;
        PublicAddress = publicAddress;
    }

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public Uri PublicAddress { get; }

    public static async Task<GatewayHost> StartAsync(CareMessagingStack stack, IDictionary<string, string?>? overrides = null)
    {
        var publicAddress = stack.CreateGatewayClient().BaseAddress!;
        var identity = stack.App.GetEndpoint(ResourceNames.Identity, "http").ToString().TrimEnd('/');
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = await stack.GetConnectionStringAsync(ResourceNames.Redis),
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

        var host = new GatewayHost(settings, publicAddress);
        _ = host.Server;
        return host;
    }

    /// <summary>A browser whose requests to the public address reach this replica; other hosts go over the network.</summary>
    public GatewayBrowser CreateBrowser() =>
        new(PublicAddress, new HostRoutingHandler(PublicAddress, Server.CreateHandler()));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>Sends requests for one host to the in-memory server and the rest to the network.</summary>
    private sealed class HostRoutingHandler(Uri address, HttpMessageHandler server) : DelegatingHandler(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        private readonly HttpMessageInvoker _server = new(server);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.RequestUri!.Authority == address.Authority
                ? _server.SendAsync(request, cancellationToken)
                : base.SendAsync(request, cancellationToken);
    }
}
