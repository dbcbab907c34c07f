using System.Text.Json;

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
}
