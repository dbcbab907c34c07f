using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using CareMessaging.AppHost.Security;
using CareMessaging.Contracts;
using CareMessaging.Testing.Telemetry;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace CareMessaging.Testing;

/// <summary>
/// The whole CareMessaging AppHost, started once per test collection in processes mode with a
/// state folder of its own: real PostgreSQL, Redis and RabbitMQ processes and every service.
/// The gateway is asked for a port that is already taken, as happens on a busy developer
/// machine, and must start anyway. Every project exports its traces, metrics and logs to
/// <see cref="Telemetry"/>, an OTLP endpoint in the test process, as it would to any OTLP backend.
/// </summary>
public sealed class CareMessagingStack : AppHostStack, IAsyncLifetime
{
    private readonly TemporaryStateDirectory _state;
    private readonly bool _ownsState;
    private readonly string[] _settings;
    private TcpListener? _portHolder;

    public CareMessagingStack()
        : this(new TemporaryStateDirectory(), ownsState: true, settings: [])
    {
    }

    private CareMessagingStack(TemporaryStateDirectory state, bool ownsState, string[] settings) =>
        (_state, _ownsState, _settings) = (state, ownsState, settings);

    /// <summary>
    /// The whole stack on a state folder the caller keeps once the stack has stopped, so that it can
    /// be started on it again: after a restore into it, for example. <paramref name="settings"/>
    /// (key=value) come on top of the stack's own, for a stack started as an operator configured it.
    /// </summary>
    public static async Task<CareMessagingStack> StartOnAsync(TemporaryStateDirectory state, params string[] settings)
    {
        var stack = new CareMessagingStack(state, ownsState: false, settings);
        try
        {
            await stack.InitializeAsync();
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }

        return stack;
    }

    public string StateDirectory => _state.Path;

    /// <summary>What the projects exported over OTLP since the stack started.</summary>
    public OtlpReceiver Telemetry { get; private set; } = null!;

    /// <summary>A port held open by the test while the gateway was asked to use it.</summary>
    public int TakenGatewayPort { get; private set; }

    /// <summary>Every resource of the model: infrastructure, databases and projects.</summary>
    public static IReadOnlyList<string> AllResources { get; } = [.. InfrastructureStack.AllResources, .. ResourceNames.Projects];

    public async Task InitializeAsync()
    {
        _portHolder = new TcpListener(IPAddress.Loopback, 0);
        _portHolder.Start();
        TakenGatewayPort = ((IPEndPoint)_portHolder.LocalEndpoint).Port;
        Telemetry = await OtlpReceiver.StartAsync();

        await StartAsync(_state.Path, ["Seed:Demo=true", $"Gateway:Port={TakenGatewayPort}", .. _settings], AllResources, TestTimeouts.StackStart, builder =>
        {
            // Every test signs in through the gateway from the one loopback address, well over the
            // deployed 100 attempts a minute per address once the suite runs together. The limit per
            // user name, which SignInTests checks, stays as deployed.
            builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Identity)
                .WithEnvironment("Identity__RateLimits__AttemptsPerMinutePerAddress", "1000")
                // Low enough for TokenRefreshTests to reach with a flood, far above what the suite's
                // sign-ins and refreshes through the one gateway ask for in a minute.
                .WithEnvironment("Identity__RateLimits__TokenRequestsPerMinutePerClient", "1500");

            // RouteFuzzTests sends each role's user thousands of requests in a minute, which the
            // deployed limits per user would answer with 429 before a handler saw the bad input.
            // The limits themselves are checked in RequestLimitsTests and by LoadBench --deployed-user-limits.
            builder.CreateResourceBuilder<ProjectResource>(ResourceNames.Gateway)
                .WithEnvironment("Gateway__RateLimits__UserWritesPerSecond", "100000")
                .WithEnvironment("Gateway__RateLimits__UserWriteBurst", "100000")
                .WithEnvironment("Gateway__RateLimits__UserReadsPerSecond", "100000")
                .WithEnvironment("Gateway__RateLimits__UserReadBurst", "100000");

            // Framework categories at Information, as an operator investigating a problem would set them:
            // the end-to-end tests prove that even then no patient data reaches the logs (ADR 0005).
            foreach (var project in builder.Resources.OfType<ProjectResource>())
            {
                builder.CreateResourceBuilder(project)
                    .WithEnvironment("Logging__LogLevel__Microsoft.AspNetCore", "Information")
                    .WithEnvironment("Logging__LogLevel__Yarp", "Information")
                    .WithEnvironment("Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command", "Information")
                    // OTLP/HTTP with protobuf to the test's receiver, exported often so tests wait little.
                    .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", Telemetry.Endpoint.GetLeftPart(UriPartial.Authority))
                    .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                    .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "1000")
                    .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "500")
                    .WithEnvironment("OTEL_BLRP_SCHEDULE_DELAY", "500");
            }
        });
    }

    /// <summary>An HTTP client for the public entry, as a browser or an integrator would use it.</summary>
    public HttpClient CreateGatewayClient()
    {
        var client = App.CreateHttpClient(ResourceNames.Gateway, "http");
        client.Timeout = TestTimeouts.Request;
        return client;
    }

    /// <summary>The Identity service's signing key and client secrets, which the AppHost generated into this stack's state folder.</summary>
    public LocalIdentitySecrets IdentitySecrets =>
        LocalIdentitySecrets.OpenFile(Path.Combine(StateDirectory, AppHost.Security.IdentitySecrets.FileName));

    /// <summary>The issuer the Identity service names in its tokens: the public address users sign in at.</summary>
    public string IdentityIssuer
    {
        get
        {
            using var gateway = CreateGatewayClient();
            return $"{gateway.BaseAddress!.GetLeftPart(UriPartial.Authority)}/identity/";
        }
    }

    /// <summary>
    /// Tokens for <paramref name="audience"/> as the Identity service would sign them, with its
    /// real key and issuer, to probe what each service accepts.
    /// </summary>
    public TestTokens IdentityTokens(string audience)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(IdentitySecrets.SigningKey), out _);
        return TestTokens.AsIdentityService(audience, IdentityIssuer, rsa);
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        if (Telemetry is not null)
        {
            await Telemetry.DisposeAsync();
        }

        _portHolder?.Stop();
        if (_ownsState)
        {
            _state.Dispose();
        }
    }
}
