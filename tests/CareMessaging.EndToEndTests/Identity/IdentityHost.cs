extern alias identity;

using Aspire.Hosting.ApplicationModel;
using CareMessaging.Contracts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using System.Security.Claims;

namespace CareMessaging.EndToEndTests.Identity;

/// <summary>
/// A second Identity replica hosted in the test, with the stack's own configuration (database,
/// Redis, broker, keys and client secrets, as the AppHost hands them to its Identity service) and
/// settings of the test's on top, such as those of a deployment. Browsers reach it for the
/// <c>/identity/</c> pages at the gateway's public address, and everything else goes to the real
/// gateway, which redeems the codes this replica issues at the stack's Identity service: both
/// replicas share the database and keys, as deployed replicas do. Its clock can be moved forward.
/// </summary>
internal sealed class IdentityHost : WebApplicationFactory<identity::Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Uri _publicAddress;

    private IdentityHost(Dictionary<string, string?> settings, Uri publicAddress) => (_settings, _publicAddress) = (settings, publicAddress);

    /// <summary>This replica's time: the real time plus however far a test moved it.</summary>
    public MovedClock Clock { get; } = new();

    /// <param name="overrides">Settings on top of the stack's Identity service's.</param>
    public static async Task<IdentityHost> StartAsync(CareMessagingStack stack, IDictionary<string, string?> overrides)
    {
        using var waiting = new CancellationTokenSource(TestTimeouts.Request);
        var running = await stack.App.ResourceNotifications.WaitForResourceAsync(
            ResourceNames.Identity, resource => resource.Snapshot.State?.Text == KnownResourceStates.Running, waiting.Token).WaitAsync(waiting.Token);
        var settings = running.Snapshot.EnvironmentVariables
            .Where(variable => variable.IsFromSpec && variable.Value is not null && !HostSpecific(variable.Name))
            .ToDictionary(variable => variable.Name.Replace("__", ":", StringComparison.Ordinal), variable => variable.Value);
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var host = new IdentityHost(settings, stack.CreateGatewayClient().BaseAddress!);
        _ = host.Server;
        return host;
    }

    /// <summary>A browser at the gateway's public address whose <c>/identity/</c> requests reach this replica.</summary>
    public GatewayBrowser CreateBrowser() => new(_publicAddress, new IdentityRoutingHandler(Server.CreateHandler()));

    /// <summary>A new clinician account with the demo password that has never signed in, so it has no authenticator yet.</summary>
    public async Task<(string UserId, string UserName)> CreateClinicianAsync(string careTeam)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser($"enrol-{Guid.NewGuid():N}"[..20]) { Id = Guid.NewGuid().ToString() };
        Check(await users.CreateAsync(user, DemoUsers.Password));
        Check(await users.AddClaimsAsync(user,
        [
            new Claim(CareMessagingClaims.Name, "New Clinician"),
            new Claim(CareMessagingClaims.Role, Roles.Clinician),
            new Claim(CareMessagingClaims.CareTeam, careTeam),
        ]));
        return (user.Id, user.UserName!);

        static void Check(IdentityResult result) =>
            Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    // The process's own addresses and telemetry export are the stack's replica's, not this one's.
    private static bool HostSpecific(string name) =>
        name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || name.StartsWith("DOTNET_", StringComparison.Ordinal)
        || name.StartsWith("OTEL_", StringComparison.Ordinal) || name is "HTTP_PORTS" or "HTTPS_PORTS" or "Seed__Demo";

    /// <summary>Sends <c>/identity/</c> requests for the public address to the in-memory replica and the rest to the network.</summary>
    private sealed class IdentityRoutingHandler(HttpMessageHandler server)
        : DelegatingHandler(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        private readonly HttpMessageInvoker _server = new(server);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.RequestUri!.AbsolutePath.StartsWith("/identity/", StringComparison.Ordinal)
                ? _server.SendAsync(request, cancellationToken)
                : base.SendAsync(request, cancellationToken);
    }
}

/// <summary>The real time, moved forward by <see cref="Offset"/>: days pass for the code under test while the test takes seconds.</summary>
internal sealed class MovedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
