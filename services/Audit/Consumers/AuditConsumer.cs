using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using MassTransit;

namespace CareMessaging.Audit.Consumers;

/// <summary>
/// Records one kind of event in the trail, as its row of <see cref="AuditTable"/> says. MassTransit
/// names the endpoint of a generic consumer after its event, so each event keeps its own queue
/// (<c>audit-message-sent</c>, <c>audit-sign-in-failed</c>, ...).
/// </summary>
public sealed class AuditConsumer<TEvent>(AuditTrail trail, AuditRow<TEvent> row) : IConsumer<TEvent>
    where TEvent : class, IIntegrationEvent
{
    public Task Consume(ConsumeContext<TEvent> context) =>
        trail.AppendAsync(row.EntryFor(context.Message), context.CancellationToken);
}
