using System.Globalization;
using System.Text;
using System.Text.Json;
using CareMessaging.Audit.Trail;

namespace CareMessaging.Audit.Export;

/// <summary>
/// The two export formats. Both carry every column, hashes included, so an auditor can check
/// the chain outside the system with the canonical form described in docs/decisions/0030.
/// Rows are written as they are read, so a large range streams in constant memory.
/// </summary>
public abstract class AuditExportFormat
{
    public abstract string Name { get; }

    public abstract string ContentType { get; }

    public abstract string Extension { get; }

    public static readonly AuditExportFormat Csv = new CsvFormat();
    public static readonly AuditExportFormat Ndjson = new NdjsonFormat();

    public static AuditExportFormat? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "csv" => Csv,
        "ndjson" => Ndjson,
        _ => null,
    };

    public async Task WriteAsync(IAsyncEnumerable<AuditRecord> records, Stream body, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), bufferSize: 16 * 1024, leaveOpen: true);
        await WriteHeaderAsync(writer);
        var written = 0;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            await WriteRecordAsync(writer, record);
            if (++written % 500 == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        await writer.FlushAsync(cancellationToken);
    }

    protected virtual Task WriteHeaderAsync(StreamWriter writer) => Task.CompletedTask;

    protected abstract Task WriteRecordAsync(StreamWriter writer, AuditRecord record);

    private sealed class NdjsonFormat : AuditExportFormat
    {
        private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

        public override string Name => "ndjson";

        public override string ContentType => "application/x-ndjson";

        public override string Extension => "ndjson";

        protected override Task WriteRecordAsync(StreamWriter writer, AuditRecord record) =>
            writer.WriteAsync(JsonSerializer.Serialize(record, Json) + "\n");
    }

    private sealed class CsvFormat : AuditExportFormat
    {
        private static readonly string[] Columns =
        [
            "id", "event_id", "occurred_at", "recorded_at", "action", "actor_id", "actor_role", "source_service",
            "patient_id", "conversation_id", "correlation_id", "client_ip", "details", "previous_hash", "hash",
        ];

        public override string Name => "csv";

        public override string ContentType => "text/csv; charset=utf-8";

        public override string Extension => "csv";

        protected override Task WriteHeaderAsync(StreamWriter writer) => writer.WriteAsync(string.Join(',', Columns) + "\r\n");

        protected override Task WriteRecordAsync(StreamWriter writer, AuditRecord r) => writer.WriteAsync(string.Join(',',
            r.Id.ToString(CultureInfo.InvariantCulture), r.EventId.ToString(), Time(r.OccurredAt), Time(r.RecordedAt),
            Field(r.Action), Field(r.ActorId), Field(r.ActorRole), Field(r.SourceService), Field(r.PatientId),
            r.ConversationId?.ToString() ?? string.Empty, Field(r.CorrelationId), Field(r.ClientIp), Field(r.Details),
            r.PreviousHash, r.Hash) + "\r\n");

        private static string Time(DateTimeOffset value) =>
            value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

        // RFC 4180 quoting; a leading formula character is prefixed so spreadsheets show the value as text.
        private static string Field(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return string.Empty;
            }

            if (value[0] is '=' or '+' or '-' or '@')
            {
                value = "'" + value;
            }

            return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
        }
    }
}
