using System.Globalization;

namespace CareMessaging.Testing.Telemetry;

/// <summary>
/// Decodes OTLP/protobuf export requests (opentelemetry-proto, collector/*/v1) into
/// <see cref="OtlpSpan"/>s and <see cref="OtlpMetricPoint"/>s, and splits a request by resource so
/// that every text found is attributed to the service that sent it.
/// </summary>
internal static class OtlpDecoder
{
    /// <summary>The resource-level parts of an export request (field 1 of every Export*ServiceRequest), each with its service name.</summary>
    public static IEnumerable<(string Service, ReadOnlyMemory<byte> Part)> Resources(ReadOnlyMemory<byte> request)
    {
        var parts = new List<(string, ReadOnlyMemory<byte>)>();
        var reader = new ProtoReader(request);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1 && wireType == 2)
            {
                var part = reader.ReadBytes();
                parts.Add((ServiceOf(part), part));
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return parts;
    }

    public static IEnumerable<OtlpSpan> Spans(string service, ReadOnlyMemory<byte> resourceSpans)
    {
        foreach (var scopeSpans in Repeated(resourceSpans, 2))
        {
            var scope = ScopeName(scopeSpans);
            foreach (var span in Repeated(scopeSpans, 2))
            {
                string traceId = string.Empty, spanId = string.Empty, parent = string.Empty, name = string.Empty;
                var kind = OtlpSpanKind.Unspecified;
                var attributes = new Dictionary<string, string>();
                var reader = new ProtoReader(span);
                while (reader.TryReadTag(out var field, out var wireType))
                {
                    switch (field)
                    {
                        case 1: traceId = Convert.ToHexStringLower(reader.ReadBytes().Span); break;
                        case 2: spanId = Convert.ToHexStringLower(reader.ReadBytes().Span); break;
                        case 4: parent = Convert.ToHexStringLower(reader.ReadBytes().Span); break;
                        case 5: name = reader.ReadString(); break;
                        case 6: kind = (OtlpSpanKind)reader.ReadVarint(); break;
                        case 9: AddAttribute(attributes, reader.ReadBytes()); break;
                        default: reader.Skip(wireType); break;
                    }
                }

                yield return new OtlpSpan(service, scope, traceId, spanId, parent, name, kind, attributes);
            }
        }
    }

    public static IEnumerable<OtlpMetricPoint> MetricPoints(string service, ReadOnlyMemory<byte> resourceMetrics)
    {
        foreach (var scopeMetrics in Repeated(resourceMetrics, 2))
        {
            var meter = ScopeName(scopeMetrics);
            foreach (var metric in Repeated(scopeMetrics, 2))
            {
                string name = string.Empty, unit = string.Empty;
                var data = new List<(string Type, ReadOnlyMemory<byte> Body)>();
                var reader = new ProtoReader(metric);
                while (reader.TryReadTag(out var field, out var wireType))
                {
                    switch (field)
                    {
                        case 1: name = reader.ReadString(); break;
                        case 3: unit = reader.ReadString(); break;
                        case 5: data.Add(("gauge", reader.ReadBytes())); break;
                        case 7: data.Add(("sum", reader.ReadBytes())); break;
                        case 9: data.Add(("histogram", reader.ReadBytes())); break;
                        default: reader.Skip(wireType); break;
                    }
                }

                foreach (var (type, body) in data)
                {
                    foreach (var point in Repeated(body, 1))
                    {
                        yield return type == "histogram"
                            ? HistogramPoint(service, meter, name, unit, point)
                            : NumberPoint(service, meter, name, unit, type, point);
                    }
                }
            }
        }
    }

    private static OtlpMetricPoint NumberPoint(string service, string meter, string name, string unit, string type, ReadOnlyMemory<byte> point)
    {
        var attributes = new Dictionary<string, string>();
        double value = 0;
        var reader = new ProtoReader(point);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 4: value = reader.ReadDouble(); break;
                case 6: value = (long)reader.ReadFixed64(); break;
                case 7: AddAttribute(attributes, reader.ReadBytes()); break;
                default: reader.Skip(wireType); break;
            }
        }

        return new OtlpMetricPoint(service, meter, name, unit, type, attributes, value, 0, 0);
    }

    private static OtlpMetricPoint HistogramPoint(string service, string meter, string name, string unit, ReadOnlyMemory<byte> point)
    {
        var attributes = new Dictionary<string, string>();
        ulong count = 0;
        double sum = 0;
        var reader = new ProtoReader(point);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 4: count = reader.ReadFixed64(); break;
                case 5: sum = reader.ReadDouble(); break;
                case 9: AddAttribute(attributes, reader.ReadBytes()); break;
                default: reader.Skip(wireType); break;
            }
        }

        return new OtlpMetricPoint(service, meter, name, unit, "histogram", attributes, 0, count, sum);
    }

    private static string ServiceOf(ReadOnlyMemory<byte> resourcePart)
    {
        var attributes = new Dictionary<string, string>();
        foreach (var resource in Repeated(resourcePart, 1))
        {
            foreach (var attribute in Repeated(resource, 1))
            {
                AddAttribute(attributes, attribute);
            }
        }

        return attributes.GetValueOrDefault("service.name", "unknown");
    }

    private static string ScopeName(ReadOnlyMemory<byte> scoped)
    {
        foreach (var scope in Repeated(scoped, 1))
        {
            var reader = new ProtoReader(scope);
            while (reader.TryReadTag(out var field, out var wireType))
            {
                if (field == 1)
                {
                    return reader.ReadString();
                }

                reader.Skip(wireType);
            }
        }

        return string.Empty;
    }

    private static void AddAttribute(Dictionary<string, string> attributes, ReadOnlyMemory<byte> keyValue)
    {
        string key = string.Empty, value = string.Empty;
        var reader = new ProtoReader(keyValue);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1: key = reader.ReadString(); break;
                case 2: value = AnyValue(reader.ReadBytes()); break;
                default: reader.Skip(wireType); break;
            }
        }

        attributes[key] = value;
    }

    /// <summary>An AnyValue as text: a string as it is, a bool, number, array or map as it would print.</summary>
    private static string AnyValue(ReadOnlyMemory<byte> anyValue)
    {
        var reader = new ProtoReader(anyValue);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1: return reader.ReadString();
                case 2: return reader.ReadVarint() != 0 ? "true" : "false";
                case 3: return ((long)reader.ReadVarint()).ToString(CultureInfo.InvariantCulture);
                case 4: return reader.ReadDouble().ToString(CultureInfo.InvariantCulture);
                case 5: return "[" + string.Join(",", Repeated(reader.ReadBytes(), 1).Select(AnyValue)) + "]";
                default: reader.Skip(wireType); break;
            }
        }

        return string.Empty;
    }

    /// <summary>Every occurrence of the length-delimited field <paramref name="number"/> in <paramref name="message"/>.</summary>
    private static List<ReadOnlyMemory<byte>> Repeated(ReadOnlyMemory<byte> message, int number)
    {
        var found = new List<ReadOnlyMemory<byte>>();
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == number && wireType == 2)
            {
                found.Add(reader.ReadBytes());
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return found;
    }
}
