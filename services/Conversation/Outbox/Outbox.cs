using System.Text.Json;
using CareMessaging.Contracts;
using CareMessaging.Conversation.Data;

namespace CareMessaging.Conversation.Outbox;

/// <summary>
/// Adds integration events to the outbox table through the request's <see cref="ConversationDbContext"/>,
/// so they commit or roll back with the change they describe. Call <see cref="Notify"/> after the
/// commit to have them published without waiting for the next poll.
/// </summary>
public sealed class OutboxWriter(ConversationDbContext db, OutboxSignal signal, TimeProvider clock)
{
    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public void Enqueue<TEvent>(TEvent integrationEvent) where TEvent : class, IIntegrationEvent =>
        db.OutboxMessages.Add(new OutboxMessage
        {
            EventId = integrationEvent.EventId,
            EventType = typeof(TEvent).FullName!,
            Payload = JsonSerializer.Serialize(integrationEvent, JsonOptions),
            CreatedAt = clock.GetUtcNow(),
        });

    public void Notify() => signal.Notify();
}

/// <summary>Wakes the dispatcher when new events were committed.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        if (_semaphore.CurrentCount == 0)
        {
            try
            {
                _semaphore.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller woke the dispatcher at the same moment; once is enough.
            }
        }
    }

    /// <summary>Waits until notified or until <paramref name="timeout"/> passes.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);
}

/// <summary>How the dispatcher polls and backs off (section <c>Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>How often to look for unsent events when nobody signals.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int BatchSize { get; set; } = 100;

    /// <summary>How long one publish may wait for the broker before the batch is retried later.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The first wait after a failure; it doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a sent row is kept before <see cref="OutboxPruner"/> deletes it. Unsent rows are kept until sent.</summary>
    public TimeSpan RetainSentFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often sent rows past their retention are looked for.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many rows go in one DELETE, so no statement holds locks for long.</summary>
    public int PruneBatchSize { get; set; } = 1000;
}
