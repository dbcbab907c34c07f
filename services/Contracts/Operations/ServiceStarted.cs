namespace CareMessaging.Contracts.Operations;

/// <summary>
/// A service instance has started and is connected to the broker. The audit trail records it
/// as an application-activity event, the way hospital audit standards (IHE ATNA) expect.
/// </summary>
public sealed record ServiceStarted : IIntegrationEvent
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The resource name of the service, one of <see cref="ResourceNames.Projects"/>.</summary>
    public required string Service { get; init; }

    /// <summary>Identifies the replica: host name and process id.</summary>
    public required string InstanceId { get; init; }
}
