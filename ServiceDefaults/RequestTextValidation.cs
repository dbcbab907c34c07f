using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Refuses text that no keyboard produces before any endpoint sees it: a control character (NUL,
/// escape, the C1 range; tab, line feed and carriage return are text) in a query parameter, a route
/// value, a form field or a JSON string or property name, and a JSON body that is not valid UTF-8
/// JSON. The answer is a 400 ValidationProblem naming the field, so no such value reaches a
/// database (PostgreSQL refuses NUL in text and the request would fail as a 500) or a log line. One
/// check for every service and every route, new ones included.
/// </summary>
public static class RequestTextValidation
{
    /// <summary>Bodies larger than this are left to the endpoint's own limits; the gateway refuses them anyway.</summary>
    private const int MaxInspectedBody = 1024 * 1024;

    /// <param name="bodies">False for the gateway, which streams bodies to the services that check them.</param>
    public static WebApplication UseRequestTextValidation(this WebApplication app, bool bodies = true)
    {
        app.Use(async (context, next) =>
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var (name, values) in context.Request.Query)
            {
                Check(name, name, errors);
                foreach (var value in values)
                {
                    Check(name, value, errors);
                }
            }

            foreach (var (name, value) in context.Request.RouteValues)
            {
                Check(name, value as string, errors);
            }

            if (context.Request.Path.Value is { } path && HasControlCharacter(path) && errors.Count == 0)
            {
                errors["path"] = ["The address contains a control character. Remove it and try again."];
            }

            if (bodies && errors.Count == 0)
            {
                await CheckBodyAsync(context, errors);
            }

            if (errors.Count > 0)
            {
                await TypedResults.ValidationProblem(errors, title: "The request holds text that is not allowed").ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }

    /// <summary>True for C0 controls other than tab, line feed and carriage return, DEL and the C1 controls.</summary>
    public static bool HasControlCharacter(string value)
    {
        foreach (var c in value)
        {
            if ((c < ' ' && c is not ('\t' or '\n' or '\r')) || c is >= '\u007f' and <= '\u009f')
            {
                return true;
            }
        }

        return false;
    }

    private static void Check(string field, string? value, Dictionary<string, string[]> errors)
    {
        if (value is not null && HasControlCharacter(value))
        {
            errors[Printable(field)] = ["This contains a control character (such as NUL), which text may not hold. Remove it and try again."];
        }
    }

    private static async Task CheckBodyAsync(HttpContext context, Dictionary<string, string[]> errors)
    {
        var request = context.Request;
        var inspectable = request.ContentLength is not (0 or > MaxInspectedBody)
            && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false;
        if (request.HasFormContentType)
        {
            // The framework's form reader throws on a NUL without saying in which field; an
            // url-encoded form is parsed here instead, so the answer can name it.
            if (inspectable && request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
            {
                var body = await BufferAsync(context);
                CheckFields(QueryHelpers.ParseQuery("?" + Encoding.UTF8.GetString(body.Span)), errors);
                return;
            }

            try
            {
                CheckFields(await request.ReadFormAsync(context.RequestAborted), errors);
            }
            catch (InvalidDataException)
            {
                errors["body"] = ["The form contains a control character (such as NUL) or cannot be read. Remove it and try again."];
            }

            return;
        }

        if (!request.HasJsonContentType() || !inspectable)
        {
            return;
        }

        var json = await BufferAsync(context);
        if (json.Length > 0)
        {
            CheckJson(json.Span, errors);
        }
    }

    private static void CheckFields(IEnumerable<KeyValuePair<string, StringValues>> fields, Dictionary<string, string[]> errors)
    {
        foreach (var (name, values) in fields)
        {
            Check(name, name, errors);
            foreach (var value in values)
            {
                Check(name, value, errors);
            }
        }
    }

    /// <summary>Reads the body into memory (at most <see cref="MaxInspectedBody"/>) and rewinds it for the endpoint.</summary>
    private static async Task<ReadOnlyMemory<byte>> BufferAsync(HttpContext context)
    {
        context.Request.EnableBuffering();
        var buffer = new ArrayBufferWriter<byte>();
        await context.Request.Body.CopyToAsync(new BufferStream(buffer, MaxInspectedBody), context.RequestAborted);
        context.Request.Body.Position = 0;
        return buffer.WrittenMemory;
    }

    /// <summary>Walks the JSON, naming each string by its path (<c>topic</c>, <c>items[2].name</c>).</summary>
    private static void CheckJson(ReadOnlySpan<byte> json, Dictionary<string, string[]> errors)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        var path = new List<string>();
        var indexes = new List<int>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = reader.GetString();
                        Check(Join(path, property), property, errors);
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        path.Add(Element(path, indexes, property));
                        indexes.Add(0);
                        property = null;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        indexes.RemoveAt(indexes.Count - 1);
                        property = null;
                        break;
                    case JsonTokenType.String:
                        Check(Join(path, Element(path, indexes, property)), reader.GetString(), errors);
                        property = null;
                        break;
                    default:
                        Element(path, indexes, property);
                        property = null;
                        break;
                }
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            var field = property is null ? Join(path, null) : Join(path, property);
            errors[field.Length > 0 ? field : "body"] =
                ["This is not valid JSON text (malformed, not UTF-8, or a lone surrogate). Send the request again as JSON in UTF-8."];
        }
    }

    /// <summary>The name of the value being read inside the current container: the property, or the next array index.</summary>
    private static string Element(List<string> path, List<int> indexes, string? property)
    {
        if (property is not null || indexes.Count == 0)
        {
            return property ?? string.Empty;
        }

        var index = indexes[^1]++;
        return $"[{index}]";
    }

    private static string Join(List<string> path, string? last)
    {
        var parts = path.Skip(1).Append(last ?? string.Empty).Where(p => p.Length > 0);
        return string.Concat(parts.Select((part, i) => i == 0 || part.StartsWith('[') ? part : "." + part));
    }

    private static string Printable(string field) =>
        new([.. field.Select(c => HasControlCharacter(c.ToString()) ? '?' : c).Take(64)]);

    /// <summary>A write-only stream into a buffer that refuses to grow past its limit.</summary>
    private sealed class BufferStream(ArrayBufferWriter<byte> buffer, int limit) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => buffer.WrittenCount;

        public override long Position { get => buffer.WrittenCount; set => throw new NotSupportedException(); }

        public override void Write(byte[] data, int offset, int count) => Write(data.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> data)
        {
            if (buffer.WrittenCount + data.Length > limit)
            {
                throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge);
            }

            buffer.Write(data);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
        {
            Write(data.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] data, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
