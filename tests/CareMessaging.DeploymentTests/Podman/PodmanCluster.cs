using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CareMessaging.Contracts;
using CareMessaging.DeploymentTests.Chart;
using CareMessaging.DeploymentTests.Toolchain;

namespace CareMessaging.DeploymentTests.Podman;

/// <summary>
/// The chart's rendering run for real under podman (runc, the project's own containers.conf and
/// storage, eng/k8s/lib.sh): two pods of every service on the project's bridge network, against
/// PostgreSQL, Redis and RabbitMQ started as processes the way the other tests start them, with a
/// TLS ingress in front of the gateway pods. Built images are cached (eng/k8s/build-images.sh).
/// Everything it creates (pods, containers, volumes, secrets, the network, the bridge and
/// podman's iptables chains) is removed afterwards, also when the start fails; a run that was
/// killed is cleaned up by the next one before it starts.
/// </summary>
public sealed partial class PodmanCluster : IAsyncLifetime
{
    /// <summary>The host as the pods see it: the bridge's gateway address; the stores' relays listen here.</summary>
    public static readonly IPAddress HostAddress = IPAddress.Parse("10.89.100.1");

    /// <summary>The host name the pods reach the stores by (the hospital's servers, in a cluster).</summary>
    public const string StoresHost = "stores.caremessaging.test";

    private static readonly IPAddress FirstPodAddress = IPAddress.Parse("10.89.100.10");
    private static readonly TimeSpan PodsReady = TimeSpan.FromMinutes(5);

    private readonly TemporaryStateDirectory _state = new();
    private readonly List<TcpRelay> _storeRelays = [];
    private readonly Dictionary<string, TcpRelay> _serviceRelays = new(StringComparer.Ordinal);
    private readonly string _workDirectory = Path.Combine(Path.GetTempPath(), "caremessaging-podman", Guid.NewGuid().ToString("N")[..12]);
    private InfrastructureStack? _infrastructure;
    private int _disposed;
    private RSA? _signingKey;

    /// <summary>What the run took, for docs/operations/kubernetes.md: images, the stores, the pods up and ready.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Timings => _timings;

    private readonly Dictionary<string, TimeSpan> _timings = new(StringComparer.Ordinal);

    public PodmanPlan Plan { get; private set; } = null!;

    public RenderedChart Chart { get; private set; } = null!;

    public TestIngress Ingress { get; private set; } = null!;

    public InfrastructureStack Infrastructure => _infrastructure ?? throw new InvalidOperationException("Not started.");

    /// <summary>The connections each Service's stand-in handed to each of its pods.</summary>
    public IReadOnlyDictionary<string, TcpRelay> Services => _serviceRelays;

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch (Exception exception)
        {
            var logs = Plan is null ? string.Empty : await TailLogsAsync();
            await DisposeAsync();
            throw new InvalidOperationException($"The podman run did not start: {exception.Message}\n{logs}", exception);
        }
    }

    private async Task StartAsync()
    {
        var clock = Stopwatch.StartNew();
        await Prerequisites.EnsureAsync();
        (await Commands.RunAsync("bash", ["eng/k8s/build-images.sh"], TimeSpan.FromMinutes(40))).OrThrow("Building the images (eng/k8s/build-images.sh)");
        _timings["images"] = clock.Elapsed;

        // A killed earlier run may have left pods, the network or iptables chains behind.
        (await Commands.BashAsync("k8s_cleanup", TimeSpan.FromMinutes(2))).OrThrow("Cleaning up an earlier podman run");
        // The bridge and its address must exist before the relays bind them; the idle container
        // keeps them while pods come and go (netavark removes a bridge its last container leaves).
        var servicesAddresses = string.Join(' ', ServiceAddresses().Values);
        (await Commands.BashAsync(
            $"k8s_podman_env && k8s_network_bridge_up && k8s_network_hold && for a in {servicesAddresses}; do ip addr add $a/32 dev $K8S_NET_IF || exit 1; done",
            TimeSpan.FromMinutes(2))).OrThrow("Creating the podman network");

        clock.Restart();
        _infrastructure = await InfrastructureStack.StartAsync(_state.Path);
        var secrets = await SecretsAsync();
        _timings["stores"] = clock.Elapsed;

        clock.Restart();
        var ingressPort = TestIngress.ReservePort();
        Chart = await HelmChart.RenderAsync(
        [
            $"publicUrl=https://127.0.0.1:{ingressPort}",
            "image.registry=localhost",
            "ingress.host=caremessaging.test",
            "demo.seed=true",
            // The test ingress reaches the gateway pods from the bridge's gateway address.
            $"forwardedHeaders.ingressNetworks={HostAddress}/32",
            "telemetry.otlpEndpoint=",
            // The stores are the test's plain local processes, reached through relays under another
            // host name than their certificates could carry; StoreTlsTests runs the stores with TLS.
            "storeTls.required=false",
            "storeTls.caSecretName=",
        ]);
        var hosts = ServiceAddresses().ToDictionary(s => $"{HelmChart.ReleaseName}-{s.Key}", s => s.Value, StringComparer.Ordinal);
        hosts[StoresHost] = HostAddress;
        Plan = PodmanPlan.For(Chart, FirstPodAddress, hosts);

        foreach (var (service, address) in ServiceAddresses())
        {
            _serviceRelays[service] = TcpRelay.Start(new IPEndPoint(address, 8080), [.. Plan.Of(service).Select(p => new IPEndPoint(p.Address, 8080))]);
        }

        Directory.CreateDirectory(_workDirectory);
        var play = Path.Combine(_workDirectory, "play.yaml");
        await File.WriteAllTextAsync(play, Plan.PlayYaml);
        var secretFile = Path.Combine(_workDirectory, "caremessaging.json");
        await File.WriteAllTextAsync(secretFile, PodmanPlan.SecretsAsJson(new Dictionary<string, IReadOnlyDictionary<string, string>> { ["caremessaging"] = secrets })["caremessaging"]);
        var addresses = string.Join(' ', Plan.Pods.Select(p => $"--ip {p.Address}"));
        (await Commands.BashAsync(
            $"k8s_podman_env && podman secret create caremessaging {Commands.Quote(secretFile)} >/dev/null && " +
            $"podman kube play --network $K8S_NET {addresses} {Commands.Quote(play)} >/dev/null",
            TimeSpan.FromMinutes(5))).OrThrow("podman kube play");
        File.Delete(secretFile);
        _timings["kube play"] = clock.Elapsed;

        clock.Restart();
        await Task.WhenAll(Plan.Pods.Select(WaitUntilReadyAsync));
        _timings["pods ready"] = clock.Elapsed;

        Ingress = await TestIngress.StartAsync(ingressPort, [.. Plan.Of(ResourceNames.Gateway).Select(p => p.Url)]);
    }

    /// <summary>Tokens as the Identity service in the pods signs them: its key (which this run made) and its public issuer.</summary>
    public TestTokens IdentityTokens(string audience)
    {
        var rsa = _signingKey ?? throw new InvalidOperationException("Not started.");
        return TestTokens.AsIdentityService(audience, $"{Ingress.PublicAddress.GetLeftPart(UriPartial.Authority)}/identity/", rsa);
    }

    /// <summary>Runs podman with the project's configuration.</summary>
    public static async Task<string> PodmanAsync(string arguments) =>
        (await Commands.BashAsync($"k8s_podman_env && podman {arguments}", TimeSpan.FromMinutes(1))).OrThrow($"podman {arguments}").Output;

    /// <summary>The last lines each container wrote, for a failure's message.</summary>
    public async Task<string> TailLogsAsync(int lines = 15)
    {
        var logs = new StringBuilder();
        foreach (var pod in Plan.Pods)
        {
            var result = await Commands.BashAsync($"k8s_podman_env && podman logs --tail {lines} {pod.Container}", TimeSpan.FromSeconds(30));
            logs.AppendLine($"--- {pod.Container}").AppendLine(result.Output).AppendLine(result.Error);
        }

        return logs.ToString();
    }

    /// <summary>The addresses on the bridge that stand in for the Services' cluster addresses.</summary>
    private static Dictionary<string, IPAddress> ServiceAddresses() =>
        ResourceNames.Projects.Select((service, i) => (service, IPAddress.Parse($"10.89.100.{201 + i}")))
            .ToDictionary(s => s.service, s => s.Item2, StringComparer.Ordinal);

    /// <summary>Polls the pod's readiness endpoint, as the kubelet polls the readiness probe, until it answers.</summary>
    public static async Task WaitUntilReadyAsync(PlannedPod pod)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + PodsReady;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(pod.Url, "/health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                last = exception.Message;
            }

            // The pod's own readiness endpoint is polled, as the kubelet polls the readiness probe.
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        throw new TimeoutException($"{pod.Name} was not ready within {PodsReady}: {last}");
    }

    /// <summary>
    /// The Secret the hospital's secret store would make: connection strings to the stores through
    /// their relays, and keys and client secrets made for this run.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> SecretsAsync()
    {
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { ResourceNames.ConversationDb, ResourceNames.AuditDb, ResourceNames.StatsDb, ResourceNames.IdentityDb, ResourceNames.Redis, ResourceNames.Messaging })
        {
            var connectionString = await Infrastructure.GetConnectionStringAsync(name);
            var port = int.Parse(StorePort().Match(connectionString).Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (_storeRelays.All(r => r.Address.Port != port))
            {
                _storeRelays.Add(TcpRelay.Start(new IPEndPoint(HostAddress, port), new IPEndPoint(IPAddress.Loopback, port)));
            }

            secrets[name] = LoopbackHost().Replace(connectionString, StoresHost);
        }

        // One Redis serves as both here; a hospital gives the sessions a store of their own (ADR 0027).
        secrets[ResourceNames.Sessions] = secrets[ResourceNames.Redis];
        secrets["gateway-data-protection-key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _signingKey = RSA.Create(2048);
        secrets["identity-signing-key"] = Convert.ToBase64String(_signingKey.ExportPkcs8PrivateKey());
        secrets["identity-encryption-key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        secrets["conversation-encryption-key-k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        foreach (var client in new[] { "gateway", "notification", "stats" })
        {
            secrets[$"{client}-client-secret"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        }

        return secrets;
    }

    public async Task DisposeAsync()
    {
        // A start that failed has cleaned up already; xunit disposes the fixture all the same.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (Ingress is not null)
        {
            await Ingress.DisposeAsync();
        }

        var cleanup = await Commands.BashAsync("k8s_cleanup", TimeSpan.FromMinutes(3));
        foreach (var relay in _serviceRelays.Values.Concat(_storeRelays))
        {
            await relay.DisposeAsync();
        }

        if (_infrastructure is not null)
        {
            await _infrastructure.DisposeAsync();
        }

        _signingKey?.Dispose();
        _state.Dispose();
        if (Directory.Exists(_workDirectory))
        {
            Directory.Delete(_workDirectory, recursive: true);
        }

        cleanup.OrThrow("Removing the pods, the network and podman's iptables chains (k8s_cleanup)");
    }

    [GeneratedRegex(@"(?:Port=|localhost:|127\.0\.0\.1:)(?<port>\d+)")]
    private static partial Regex StorePort();

    [GeneratedRegex(@"\b(localhost|127\.0\.0\.1)\b")]
    private static partial Regex LoopbackHost();
}
