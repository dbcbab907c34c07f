using System.Diagnostics;
using System.Text.Json;
using MassTransit;

namespace CareMessaging.Audit.Trail;

/// <summary>What a consumer or an API handler asks the trail to append.</summary>
public sealed record AuditEntry
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string Action { get; init; }

    public required string ActorId { get; init; }

    public required string ActorRole { get; init; }

    public required string SourceService { get; init; }

    public string? PatientId { get; init; }

    public Guid? ConversationId { get; init; }

    public string? CorrelationId { get; init; }

    public string? ClientIp { get; init; }

    /// <summary>Serialised with <see cref="JsonSerializerDefaults.Web"/> into <see cref="AuditRecord.Details"/>.</summary>
    public object? Details { get; init; }

    public const string UnknownRole = "unknown";
    public const string SystemRole = "system";
    public const string UnknownActor = "unknown";

    /// <summary>
    /// The service that published the message, from the host information MassTransit sends with
    /// it ("CareMessaging.Identity" becomes "identity"), or <paramref name="owner"/>, the service
    /// that owns the event type, when the publisher is not one of ours.
    /// </summary>
    public static string SourceOf(ConsumeContext context, string owner)
    {
        const string prefix = "CareMessaging.";
        var assembly = context.Host?.Assembly;
        return assembly is { Length: > 0 } && assembly.StartsWith(prefix, StringComparison.Ordinal)
            ? assembly[prefix.Length..].ToLowerInvariant()
            : owner;
    }

    /// <summary>The trace id the event carries, else the trace the message arrived in.</summary>
    public static string? CorrelationOf(string? fromEvent) =>
        fromEvent ?? Activity.Current?.TraceId.ToHexString();
}
