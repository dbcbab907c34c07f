using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace CareMessaging.ServiceDefaults.Telemetry;

/// <summary>
/// Keeps patient IDs out of exported telemetry. The only place they reach it is a request address:
/// <c>/api/patients/{patientId}</c>, the web app's <c>/patients/{patientId}</c> and the audit API's
/// <c>/api/audit/patients/{patientId}/viewers</c>, which land in span attributes (<c>url.path</c>,
/// <c>url.full</c>), in HttpClient's log lines and in the request scopes of log records. So the
/// path segment after <c>/patients/</c> is replaced by <see cref="Placeholder"/> wherever an address
/// can appear, whatever the hospital's patient IDs look like (ADR 0058). A route template's
/// parameter (<c>{patientId}</c>, <c>{**rest}</c>) is left as it is. Query strings are already
/// redacted by the instrumentation (ADR 0005).
/// </summary>
public static partial class PatientIdRedaction
{
    public const string Placeholder = "{patientId}";

    /// <summary><paramref name="text"/> with every <c>/patients/&lt;id&gt;</c> segment replaced.</summary>
    public static string Redact(string text) =>
        text.Contains("/patients/", StringComparison.OrdinalIgnoreCase) ? PatientSegment().Replace(text, Placeholder) : text;

    /// <summary>A string or an address redacted as text; any other value as it is.</summary>
    public static object? Redact(object? value) => value switch
    {
        string text => Redact(text),
        Uri address when Redact(address.ToString()) is var redacted && redacted != address.ToString() => redacted,
        _ => value,
    };

    [GeneratedRegex(@"(?<=/patients/)(?!\{)[^/?#\s""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PatientSegment();

    /// <summary>Redacts span attributes before the exporter's batch takes the span.</summary>
    public sealed class SpanProcessor : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            List<KeyValuePair<string, object?>>? redacted = null;
            foreach (var (key, value) in data.TagObjects)
            {
                if (value is string text && !ReferenceEquals(Redact(text), text))
                {
                    (redacted ??= []).Add(new(key, Redact(text)));
                }
            }

            foreach (var (key, value) in redacted ?? [])
            {
                data.SetTag(key, value);
            }
        }
    }

    /// <summary>
    /// Redacts a log record's message and attributes. Scopes are not exported at all (they cannot be
    /// changed in place, and ASP.NET Core's request scope holds the path): a record's trace and span
    /// ids lead to its request, whose span names the route.
    /// </summary>
    public sealed class LogProcessor : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data)
        {
            if (data.FormattedMessage is { } message)
            {
                data.FormattedMessage = Redact(message);
            }

            if (data.Attributes is { Count: > 0 } attributes && attributes.Any(a => !ReferenceEquals(Redact(a.Value), a.Value)))
            {
                data.Attributes = attributes.Select(a => new KeyValuePair<string, object?>(a.Key, Redact(a.Value))).ToList();
            }
        }
    }
}
