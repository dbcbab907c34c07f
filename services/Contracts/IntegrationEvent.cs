namespace CareMessaging.Contracts;

/// <summary>
/// What every integration event carries. Consumers deduplicate by <see cref="EventId"/>,
/// so a redelivered event never changes a count twice.
/// </summary>
public interface IIntegrationEvent
{
    Guid EventId { get; }

    DateTimeOffset OccurredAt { get; }
}
