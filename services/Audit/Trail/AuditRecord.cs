namespace CareMessaging.Audit.Trail;

/// <summary>One entry of the audit trail: who did what, when, seen by which service.</summary>
public sealed class AuditRecord
{
    public long Id { get; set; }

    /// <summary>The integration event recorded; unique, so a redelivered event is recorded once.</summary>
    public Guid EventId { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public required string Action { get; set; }

    public required string ActorId { get; set; }

    public required string ActorRole { get; set; }

    public required string SourceService { get; set; }
}

/// <summary>Action names as they appear in the trail.</summary>
public static class AuditActions
{
    public const string ServiceStarted = "service.started";
}
