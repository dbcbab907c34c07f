using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using CareMessaging.AppHost.Security;
using CareMessaging.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CareMessaging.Testing;

/// <summary>
/// The whole AppHost with two replicas of every service (AppHost:Replicas=2), as it runs in
/// Kubernetes: callers reach a service through Aspire's proxy, which spreads connections over its
/// replicas, and the gateway's replicas share its public port behind that proxy. Started once
/// per test collection in processes mode with a state folder of its own.
/// </summary>
public sealed class ScaledOutStack : AppHostStack, IAsyncLifetime
{
    public const int ReplicasPerService = 2;

    /// <summary>Twice the processes of <see cref="CareMessagingStack"/>, started in the same dependency order.</summary>
    private static readonly TimeSpan StartTimeout = TestTimeouts.StackStart * 3;

    private readonly TemporaryStateDirectory _state = new();

    public int GatewayPort { get; private set; }

    public Uri GatewayAddress => new($"http://localhost:{GatewayPort}");

    public string StateDirectory => _state.Path;

    public async Task InitializeAsync()
    {
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            GatewayPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await StartAsync(
            _state.Path,
            ["Seed:Demo=true", $"Gateway:Port={GatewayPort}", $"AppHost:Replicas={ReplicasPerService}"],
            CareMessagingStack.AllResources,
            StartTimeout,
            builder =>
            {
                // The gateway's proxy must listen on the port the issuer names; test hosts otherwise move it.
                builder.Configuration["DcpPublisher:RandomizePorts"] = "false";
                builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Identity)
                    .WithEnvironment("Identity__RateLimits__AttemptsPerMinutePerAddress", "1000");
            });
    }

    /// <summary>The replicas' own names (resource ids), as the dashboard lists them.</summary>
    public async Task<IReadOnlyList<string>> ReplicasOfAsync(string resourceName)
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.Request);
        var replicas = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var update in App.ResourceNotifications.WatchAsync(cancellation.Token))
        {
            if (update.Resource.Name == resourceName && replicas.Add(update.ResourceId) && replicas.Count == ReplicasPerService)
            {
                break;
            }
        }

        return [.. replicas];
    }

    /// <summary>
    /// Where one replica listens itself, behind the proxy: the loopback port its process (the
    /// <c>dotnet run</c> that DCP started, or the service it runs) listens on. DCP does not report
    /// a replica's own port, so it is read from the process's sockets.
    /// </summary>
    public Uri ReplicaAddress(string replica)
    {
        if (!App.ResourceNotifications.TryGetCurrentState(replica, out var state))
        {
            throw new InvalidOperationException($"No replica named {replica}.");
        }

        var pid = state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value
            ?? throw new InvalidOperationException($"{replica} has no process.");
        var ports = ListeningSockets.PortsOf(Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture));
        return ports.Count == 1
            ? new Uri($"http://localhost:{ports[0]}")
            : throw new InvalidOperationException($"{replica} listens on {ports.Count} ports ({string.Join(", ", ports)}), not one.");
    }

    /// <summary>
    /// A client of one replica of <paramref name="service"/> at its own address, with a token of the
    /// <c>operations</c> client, as the dashboard's operator commands call a service (ADR 0008):
    /// a chore run on exactly that replica.
    /// </summary>
    public HttpClient OperatorClientOf(string service, string replica)
    {
        var client = new HttpClient { BaseAddress = ReplicaAddress(replica), Timeout = TestTimeouts.ResourceStart };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", IdentityTokens(service).ServiceClient(AppHost.Operations.OperatorCommands.OperationsClientId, OAuthScopes.Operations));
        return client;
    }

    /// <summary>Tokens as the Identity service signs them, with the key the AppHost generated into the state folder.</summary>
    public TestTokens IdentityTokens(string audience)
    {
        var secrets = LocalIdentitySecrets.OpenFile(Path.Combine(StateDirectory, AppHost.Security.IdentitySecrets.FileName));
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(secrets.SigningKey), out _);
        return TestTokens.AsIdentityService(audience, $"{GatewayAddress.GetLeftPart(UriPartial.Authority)}/identity/", rsa);
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        _state.Dispose();
    }
}
