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
    /// Kills one replica's process tree (SIGKILL, as a node losing a pod) and waits until the stack
    /// has seen it end or run as another process; returns the killed process's id. By replica id:
    /// the waits of <see cref="ResourceFaults"/> match a resource's name, which both replicas share.
    /// </summary>
    public async Task<int> KillReplicaAsync(string replica)
    {
        var pid = App.ResourceNotifications.TryGetCurrentState(replica, out var running) && ReplicaPid(running) is { } id
            ? id
            : throw new InvalidOperationException($"{replica} has no process now.");
        using (var process = System.Diagnostics.Process.GetProcessById(pid))
        {
            process.Kill(entireProcessTree: true);
        }

        await WaitForReplicaAsync(replica, e => IsEnded(e) || ReplicaPid(e) is { } now && now != pid);
        return pid;
    }

    /// <summary>
    /// Starts a killed replica again unless the AppHost's supervisor already has, and waits until it
    /// runs as a new process that answers its own /health, so the collection's next test finds two
    /// replicas again (the dashboard's health of a restarted replica may still be its old one's).
    /// </summary>
    public async Task BringBackReplicaAsync(string replica, int killedProcessId)
    {
        if (App.ResourceNotifications.TryGetCurrentState(replica, out var current) && IsEnded(current))
        {
            // The supervisor may start it between the look and the command; either start will do.
            await ExecuteCommandAsync(replica, KnownResourceCommands.StartCommand);
        }

        await WaitForReplicaAsync(replica, e => e.Snapshot.State?.Text == KnownResourceStates.Running
            && ReplicaPid(e) is { } pid && pid != killedProcessId);
        using var client = new HttpClient { Timeout = TestTimeouts.Request };
        var ready = await Eventually.Until(async () =>
        {
            try
            {
                using var health = await client.GetAsync(new Uri(ReplicaAddress(replica), "/health"));
                return health.IsSuccessStatusCode;
            }
            catch (Exception failure) when (failure is HttpRequestException or InvalidOperationException)
            {
                // Not listening yet (no port, or not accepting): look again.
                return false;
            }
        }, answered => answered, TestTimeouts.ResourceStart);
        if (!ready)
        {
            throw new TimeoutException($"{replica} did not answer /health within {TestTimeouts.ResourceStart} after it was started again.");
        }
    }

    private async Task WaitForReplicaAsync(string replica, Func<ResourceEvent, bool> condition)
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.ResourceStart);
        ResourceEvent? last = null;
        try
        {
            await foreach (var update in App.ResourceNotifications.WatchAsync(cancellation.Token))
            {
                if (update.ResourceId == replica && condition(last = update))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException exception)
        {
            throw new TimeoutException(
                $"{replica} did not get there within {TestTimeouts.ResourceStart}; last seen {last?.Snapshot.State?.Text ?? "never"}, {last?.Snapshot.HealthStatus?.ToString() ?? "no health"}.", exception);
        }
    }

    private static bool IsEnded(ResourceEvent update) =>
        update.Snapshot.State?.Text is { } state
        && (state == KnownResourceStates.Exited || state == KnownResourceStates.Finished || state == KnownResourceStates.FailedToStart);

    private static int? ReplicaPid(ResourceEvent update) =>
        update.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value switch
        {
            int pid => pid,
            long pid => (int)pid,
            string text when int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var pid) => pid,
            _ => null,
        };

    /// <summary>
    /// A transport for a <see cref="GatewayBrowser"/> at the public address whose connections all
    /// go to one gateway replica: the addresses, the Host header and so the sign-in's redirect
    /// address stay the public ones, as for a browser whose connection the proxy gave that replica.
    /// </summary>
    public SocketsHttpHandler TransportTo(string gatewayReplica)
    {
        var replica = ReplicaAddress(gatewayReplica);
        return new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new DnsEndPoint(replica.Host, replica.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
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
