using System.Diagnostics;
using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.ServiceDefaults;
using MassTransit;

namespace CareMessaging.Audit.Consumers;

/// <summary>
/// Records one kind of event in the trail, as its row of <see cref="AuditTable"/> says, a batch
/// of events per statement. MassTransit names the endpoint of a generic consumer after its event,
/// so each event keeps its own queue (<c>audit-message-sent</c>, <c>audit-sign-in-failed</c>, ...).
/// </summary>
public sealed class AuditConsumer<TEvent>(AuditTrail trail, AuditRow<TEvent> row) : IConsumer<Batch<TEvent>>
    where TEvent : class, IIntegrationEvent
{
    public Task Consume(ConsumeContext<Batch<TEvent>> context) =>
        trail.AppendAsync(context.Message.Select(item => row.EntryFor(item.Message, TraceIdOf(item))).ToList(), context.CancellationToken);

    // A batch is consumed in one span of its own; each record keeps the trace its message arrived in.
    private static string? TraceIdOf(ConsumeContext message) =>
        (message.Headers.Get<string>("traceparent") ?? message.Headers.Get<string>("Diagnostic-Id")) is { } header
        && ActivityContext.TryParse(header, null, out var parent)
            ? parent.TraceId.ToHexString()
            : null;
}

/// <summary>Events are appended a batch at a time; the chain lock makes appends one at a time anyway.</summary>
public sealed class AuditConsumerDefinition<TEvent> : CareMessagingBatchConsumerDefinition<AuditConsumer<TEvent>>
    where TEvent : class, IIntegrationEvent
{
    protected override Action<IRetryConfigurator> Retry => ConsumerRetry.StoreOutage;
}
