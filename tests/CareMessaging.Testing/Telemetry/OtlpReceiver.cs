using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CareMessaging.Testing.Telemetry;

/// <summary>
/// An OTLP/HTTP endpoint in the test process (protobuf, <c>/v1/traces</c>, <c>/v1/metrics</c>,
/// <c>/v1/logs</c>) that the stack's projects export to instead of the dashboard, as any OTLP
/// backend would receive them. It keeps every span, the latest point of every metric stream, and
/// every distinct text each service exported per signal, for the privacy test to scan.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    public const string Traces = "traces";
    public const string Metrics = "metrics";
    public const string Logs = "logs";

    /// <summary>Spans kept, the most recent; a whole test run exports far fewer.</summary>
    private const int SpanCapacity = 500_000;

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<OtlpSpan> _spans = new();
    private readonly ConcurrentDictionary<string, OtlpMetricPoint> _points = new();
    private readonly ConcurrentDictionary<(string Signal, string Service), ConcurrentDictionary<string, byte>> _texts = new();
    private readonly ConcurrentDictionary<(string Signal, string Service), DateTimeOffset> _lastExport = new();
    private int _undecodable;

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary>Where exporters send: the value of OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Export requests that were not valid OTLP protobuf; a test expects none.</summary>
    public int UndecodableRequests => _undecodable;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var receiver = new OtlpReceiver(builder.Build());
        receiver._app.MapPost("/v1/{signal}", receiver.ReceiveAsync);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Endpoint = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        return receiver;
    }

    /// <summary>The spans received, optionally of one trace.</summary>
    public IReadOnlyList<OtlpSpan> Spans(string? traceId = null) =>
        _spans.Where(span => traceId is null || span.TraceId == traceId).ToList();

    /// <summary>The latest point of every stream of the metric <paramref name="name"/>, or of every metric.</summary>
    public IReadOnlyList<OtlpMetricPoint> MetricPoints(string? name = null) =>
        _points.Values.Where(point => name is null || point.Name == name).ToList();

    /// <summary>Every distinct text each service exported, per signal.</summary>
    public IEnumerable<OtlpText> Texts() =>
        _texts.SelectMany(entry => entry.Value.Keys.Select(text => new OtlpText(entry.Key.Signal, entry.Key.Service, text)));

    /// <summary>The services that exported <paramref name="signal"/>.</summary>
    public IReadOnlySet<string> Senders(string signal) =>
        _lastExport.Keys.Where(key => key.Signal == signal).Select(key => key.Service).ToHashSet();

    /// <summary>When <paramref name="service"/> last exported <paramref name="signal"/>, if ever.</summary>
    public DateTimeOffset? LastExport(string signal, string service) =>
        _lastExport.TryGetValue((signal, service), out var at) ? at : null;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> ReceiveAsync(string signal, HttpRequest request)
    {
        if (signal is not (Traces or Metrics or Logs))
        {
            return Results.NotFound();
        }

        using var body = new MemoryStream();
        var content = request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(request.Body, CompressionMode.Decompress)
            : request.Body;
        await content.CopyToAsync(body, request.HttpContext.RequestAborted);

        try
        {
            Store(signal, body.ToArray());
        }
        catch (Exception exception) when (exception is FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            Interlocked.Increment(ref _undecodable);
            return Results.BadRequest();
        }

        // An empty Export*ServiceResponse: everything was accepted.
        return Results.Bytes([], "application/x-protobuf");
    }

    private void Store(string signal, ReadOnlyMemory<byte> request)
    {
        foreach (var (service, part) in OtlpDecoder.Resources(request))
        {
            var texts = _texts.GetOrAdd((signal, service), _ => new ConcurrentDictionary<string, byte>());
            ProtoReader.CollectStrings(part, text => texts.TryAdd(text, 0));
            if (signal == Traces)
            {
                foreach (var span in OtlpDecoder.Spans(service, part))
                {
                    _spans.Enqueue(span);
                }

                while (_spans.Count > SpanCapacity)
                {
                    _spans.TryDequeue(out _);
                }
            }
            else if (signal == Metrics)
            {
                foreach (var point in OtlpDecoder.MetricPoints(service, part))
                {
                    var stream = string.Join('|', [point.Service, point.Meter, point.Name, .. point.Attributes.OrderBy(a => a.Key).Select(a => $"{a.Key}={a.Value}")]);
                    _points[stream] = point;
                }
            }

            _lastExport[(signal, service)] = DateTimeOffset.UtcNow;
        }
    }
}
