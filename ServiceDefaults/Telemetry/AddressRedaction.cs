using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace CareMessaging.ServiceDefaults.Telemetry;

/// <summary>
/// Keeps the patient data that request addresses carry out of exported telemetry (ADR 0058).
/// Patient IDs are path segments (<c>/api/patients/{patientId}</c>, the web app's
/// <c>/patients/{patientId}</c>, the audit API's <c>/api/audit/patients/{patientId}/viewers</c>)
/// and search terms and patient IDs are query values (<c>?q=</c>, <c>?patientId=</c>); they land in
/// span attributes (<c>url.path</c>, <c>url.query</c>, <c>url.full</c>) and in HttpClient's log
/// lines. The segment after <c>/patients/</c> becomes <see cref="PatientPlaceholder"/>, whatever the
/// hospital's patient IDs look like, unless it is a route parameter (<c>{patientId}</c>,
/// <c>{**rest}</c>); every query value becomes <see cref="ValuePlaceholder"/>. The instrumentation
/// redacts query values too, but the AppHost turns that off for local runs
/// (<c>OTEL_DOTNET_EXPERIMENTAL_*_DISABLE_URL_QUERY_REDACTION</c>), and this holds whatever the switches say.
/// </summary>
public static partial class AddressRedaction
{
    public const string PatientPlaceholder = "{patientId}";
    public const string ValuePlaceholder = "Redacted";

    /// <summary><paramref name="text"/> with every <c>/patients/&lt;id&gt;</c> segment and every query value replaced; the same instance when there is neither.</summary>
    public static string Redact(string text)
    {
        var redacted = text.Contains("/patients/", StringComparison.OrdinalIgnoreCase) ? PatientSegment().Replace(text, PatientPlaceholder) : text;
        return redacted.Contains('?') && redacted.Contains('=') ? QueryValue().Replace(redacted, $"${{name}}={ValuePlaceholder}") : redacted;
    }

    /// <summary>A string or an address redacted as text; any other value as it is.</summary>
    public static object? Redact(object? value) => value switch
    {
        string text => Redact(text),
        Uri address when Redact(address.ToString()) is var redacted && redacted != address.ToString() => redacted,
        _ => value,
    };

    [GeneratedRegex(@"(?<=/patients/)(?!\{)[^/?#\s""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PatientSegment();

    // A name=value pair of a query: after the '?' of an address, or after '&' within one.
    [GeneratedRegex(@"(?<=\?(?:[^\s#""'?]*&)?)(?<name>[^\s#""'?&=]+)=(?!Redacted(?:[&#\s""']|$))[^\s#""'&]*", RegexOptions.CultureInvariant)]
    private static partial Regex QueryValue();

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
