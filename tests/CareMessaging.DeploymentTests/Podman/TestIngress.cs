using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace CareMessaging.DeploymentTests.Podman;

/// <summary>
/// What the chart's Ingress does in a cluster, for the gateway pods under podman: TLS ends here
/// (a certificate made for the run, which the test's clients trust), and each request goes on to
/// a gateway pod over plain HTTP with X-Forwarded-For, -Proto and -Host. The public port spreads
/// requests over every pod in turn; one more port per pod reaches that pod alone, so that a test
/// can use one replica and then the other, with the same cookies (cookies are per host, not per port).
/// </summary>
public sealed class TestIngress : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;

    private TestIngress(WebApplication app, X509Certificate2 certificate, Uri publicAddress, IReadOnlyList<Uri> podAddresses, ConcurrentQueue<string> failures)
    {
        (_app, _certificate, PublicAddress, PodAddresses, _failures) = (app, certificate, publicAddress, podAddresses, failures);
    }

    private readonly ConcurrentQueue<string> _failures;

    /// <summary>The requests this ingress could not forward, and why, for a failing test's message.</summary>
    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>The address users open (the chart's publicUrl).</summary>
    public Uri PublicAddress { get; }

    /// <summary>The same ingress, pinned to one gateway pod each.</summary>
    public IReadOnlyList<Uri> PodAddresses { get; }

    /// <summary>Picks the public port before the pods exist: it is part of publicUrl, which the chart renders into their settings.</summary>
    public static int ReservePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<TestIngress> StartAsync(int publicPort, IReadOnlyList<Uri> gatewayPods)
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddHttpForwarder();
        var podPorts = new int[gatewayPods.Count];
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, publicPort, listen => listen.UseHttps(certificate));
            for (var i = 0; i < gatewayPods.Count; i++)
            {
                podPorts[i] = ReservePort();
                kestrel.Listen(IPAddress.Loopback, podPorts[i], listen => listen.UseHttps(certificate));
            }
        });

        var app = builder.Build();
        var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ActivityHeadersPropagator = null,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        });
        var next = -1;
        var transformer = new ForwardedHeaders();
        var failures = new ConcurrentQueue<string>();
        app.Map("/{**path}", async (HttpContext context, IHttpForwarder forwarder) =>
        {
            var pinned = Array.IndexOf(podPorts, context.Connection.LocalPort);
            var pod = pinned >= 0 ? pinned : (int)((uint)Interlocked.Increment(ref next) % (uint)gatewayPods.Count);
            var error = await ForwardAsync(pod);
            // As an ingress controller does (nginx's proxy_next_upstream): a GET that could not be
            // forwarded to one pod, say over a connection to a pod that was restarted, goes to the next.
            var idempotent = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
            for (var tried = 1; pinned < 0 && idempotent && error == ForwarderError.Request && !context.Response.HasStarted && tried < gatewayPods.Count; tried++)
            {
                pod = (pod + 1) % gatewayPods.Count;
                error = await ForwardAsync(pod);
            }

            if (error != ForwarderError.None && !context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
            }

            async Task<ForwarderError> ForwardAsync(int to)
            {
                // A failed attempt leaves its 502 on the response, and the forwarder does not forward a
                // request whose response is set already: the next attempt starts clean.
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Features.Set<IForwarderErrorFeature>(null);
                try
                {
                    var outcome = await forwarder.SendAsync(context, gatewayPods[to].ToString(), client, ForwarderRequestConfig.Empty, transformer);
                    if (outcome != ForwarderError.None)
                    {
                        failures.Enqueue($"{context.Request.Method} {context.Request.Path} to pod {to}: {outcome} {context.Features.Get<IForwarderErrorFeature>()?.Exception?.Message}");
                    }

                    return outcome;
                }
                catch (Exception exception)
                {
                    failures.Enqueue($"{context.Request.Method} {context.Request.Path} to pod {to}: {exception}");
                    throw;
                }
            }
        });
        await app.StartAsync();
        return new TestIngress(
            app,
            certificate,
            new Uri($"https://127.0.0.1:{publicPort}"),
            podPorts.Select(port => new Uri($"https://127.0.0.1:{port}")).ToList(),
            failures);
    }

    /// <summary>A handler that trusts exactly this ingress's certificate.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == _certificate.GetCertHashString() },
    };

    public bool Trusts(X509Certificate? presented) => presented is not null && presented.GetCertHashString() == _certificate.GetCertHashString();

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
    }

    /// <summary>What ingress-nginx adds: the client's address, and that it came over HTTPS to this host.</summary>
    private sealed class ForwardedHeaders : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await Default.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.Headers.Remove("X-Forwarded-For");
            proxyRequest.Headers.Remove("X-Forwarded-Proto");
            proxyRequest.Headers.Remove("X-Forwarded-Host");
            proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-For", httpContext.Connection.RemoteIpAddress?.ToString());
            proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
            proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Host", httpContext.Request.Host.Value);
            // The original Host travels as the request's host, as through an ingress.
            proxyRequest.Headers.Host = httpContext.Request.Host.Value;
        }
    }
}
