using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CareMessaging.EndToEndTests.Identity;

/// <summary>
/// A small web app of the test's own on a free loopback port, standing in for a service or an
/// identity provider that the stack calls over the network; stopped when disposed.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private LoopbackServer(WebApplication app, Uri address) => (App, Address) = (app, address);

    public WebApplication App { get; }

    /// <summary>Where it listens, with a trailing slash.</summary>
    public Uri Address { get; }

    /// <param name="configure">Adds services and settings before the app is built.</param>
    /// <param name="map">Adds middleware and endpoints to the built app.</param>
    public static async Task<LoopbackServer> StartAsync(Action<WebApplication> map, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        configure?.Invoke(builder);
        var app = builder.Build();
        map(app);
        using var cancellation = new CancellationTokenSource(TestTimeouts.Request);
        await app.StartAsync(cancellation.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
