using System.Diagnostics;
using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.ServiceDefaults;
using MassTransit;

namespace CareMessaging.Audit.Consumers;

/// <summary>What an event says about who did what to whom: the part of its record that differs from event to event.</summary>
/// <param name="Actor">The user (sub) or service that acted.</param>
/// <param name="Role">The role the actor acted in.</param>
public sealed record AuditFacts(string Actor, string Role)
{
    public string? PatientId { get; init; }

    public Guid? ConversationId { get; init; }

    public string? ClientIp { get; init; }

    /// <summary>The trace id the event carries; without one, the record takes the trace the message arrived in.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>Ids and counts specific to the action, serialised into the record's details; never message text.</summary>
    public object? Details { get; init; }
}

/// <summary>One row of <see cref="AuditTable"/>: an event the trail records, and how.</summary>
public abstract class AuditRow
{
    public abstract Type EventType { get; }

    public abstract string Action { get; }

    /// <summary>Registers the row and the consumer that records its event.</summary>
    public abstract void Register(IBusRegistrationConfigurator bus);

    /// <summary>A row for an event that <paramref name="source"/>, one service, publishes.</summary>
    public static AuditRow<TEvent> For<TEvent>(string action, string source, Func<TEvent, AuditFacts> facts)
        where TEvent : class, IIntegrationEvent =>
        new(action, _ => source, facts);

    /// <summary>A row for an event that names the service that published it.</summary>
    public static AuditRow<TEvent> For<TEvent>(string action, Func<TEvent, string> source, Func<TEvent, AuditFacts> facts)
        where TEvent : class, IIntegrationEvent =>
        new(action, source, facts);
}

/// <inheritdoc cref="AuditRow"/>
public sealed class AuditRow<TEvent>(string action, Func<TEvent, string> source, Func<TEvent, AuditFacts> facts) : AuditRow
    where TEvent : class, IIntegrationEvent
{
    public override Type EventType => typeof(TEvent);

    public override string Action => action;

    /// <summary>The record of <paramref name="message"/>; <paramref name="arrivedInTrace"/> is the trace id it was delivered in, if known.</summary>
    public AuditEntry EntryFor(TEvent message, string? arrivedInTrace = null)
    {
        var said = facts(message);
        return new AuditEntry
        {
            EventId = message.EventId,
            OccurredAt = message.OccurredAt,
            Action = action,
            SourceService = source(message),
            ActorId = said.Actor,
            ActorRole = said.Role,
            PatientId = said.PatientId,
            ConversationId = said.ConversationId,
            CorrelationId = said.CorrelationId ?? arrivedInTrace ?? Activity.Current?.TraceId.ToHexString(),
            ClientIp = said.ClientIp,
            Details = said.Details,
        };
    }

    public override void Register(IBusRegistrationConfigurator bus)
    {
        bus.AddSingleton(this);
        // An event that arrives while auditdb is down is recorded once it is back, never dropped to _error.
        bus.AddCareMessagingConsumer<AuditConsumer<TEvent>, AuditConsumerDefinition<TEvent>>();
    }
}
