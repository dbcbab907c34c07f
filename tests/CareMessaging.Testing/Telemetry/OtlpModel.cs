namespace CareMessaging.Testing.Telemetry;

/// <summary>The kind of an exported span, as OTLP numbers it.</summary>
public enum OtlpSpanKind
{
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
    Producer = 4,
    Consumer = 5,
}

/// <summary>One span as a resource exported it; attribute values as text.</summary>
public sealed record OtlpSpan(
    string Service,
    string Scope,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    OtlpSpanKind Kind,
    IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// The latest data point of one metric stream (service, meter, instrument, attribute set). For a
/// sum or gauge <see cref="Value"/>; for a histogram <see cref="Count"/> and <see cref="Sum"/>.
/// </summary>
public sealed record OtlpMetricPoint(
    string Service,
    string Meter,
    string Name,
    string Unit,
    string Type,
    IReadOnlyDictionary<string, string> Attributes,
    double Value,
    ulong Count,
    double Sum);

/// <summary>A text found anywhere in one export of <see cref="Signal"/> (traces, metrics, logs) from <see cref="Service"/>.</summary>
public sealed record OtlpText(string Signal, string Service, string Text);
