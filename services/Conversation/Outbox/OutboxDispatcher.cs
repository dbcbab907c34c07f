using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Data;
using CareMessaging.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using System.Text.Json;

namespace CareMessaging.Conversation.Outbox;

/// <summary>
/// Publishes committed outbox rows to RabbitMQ through MassTransit and marks them sent.
/// Rows are claimed with <c>FOR UPDATE SKIP LOCKED</c> inside a transaction that lasts until they
/// are marked, so several replicas share the work without publishing a row twice in the normal
/// case. A crash between publishing and committing publishes the row again: delivery is
/// at-least-once, and consumers deduplicate by event id. While the broker is down the batch
/// fails, the rows stay unsent, and the dispatcher retries with a growing pause that no signal
/// cuts short; otherwise it waits for the signal of a commit or the poll interval.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundLoop(clock, logger)
{
    private static readonly IReadOnlyDictionary<string, Type> EventTypes = typeof(ConversationStarted).Assembly.GetTypes()
        .Where(type => typeof(Contracts.IIntegrationEvent).IsAssignableFrom(type) && type is { IsClass: true, IsAbstract: false })
        .ToDictionary(type => type.FullName!);

    private bool _lastRoundFailed;

    protected override string JobName => "outbox dispatch";

    protected override async Task<NextRound> RunRoundAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        _lastRoundFailed = true;
        var published = await DispatchBatchAsync(settings, cancellationToken);
        _lastRoundFailed = false;
        return published < settings.BatchSize ? NextRound.After(settings.PollInterval) : NextRound.Now;
    }

    protected override TimeSpan DelayAfterFailure(int failures)
    {
        var settings = options.Value;
        return TimeSpan.FromTicks(Math.Min(settings.MaxBackoff.Ticks, settings.InitialBackoff.Ticks * (1L << Math.Min(failures - 1, 20))));
    }

    protected override Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        _lastRoundFailed || delay <= TimeSpan.Zero ? base.WaitAsync(delay, cancellationToken) : signal.WaitAsync(delay, cancellationToken);

    /// <summary>Publishes one batch of unsent rows; returns how many were published.</summary>
    internal async Task<int> DispatchBatchAsync(OutboxOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConversationDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var batch = await db.OutboxMessages
            .FromSql($"SELECT * FROM outbox_messages WHERE sent_at IS NULL ORDER BY id LIMIT {settings.BatchSize} FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        var published = 0;
        try
        {
            foreach (var row in batch)
            {
                var type = EventTypes.TryGetValue(row.EventType, out var known)
                    ? known
                    : throw new InvalidOperationException($"Outbox row {row.Id} has an unknown event type {row.EventType}.");
                var message = JsonSerializer.Deserialize(row.Payload, type, OutboxWriter.JsonOptions)!;

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(settings.PublishTimeout);
                await bus.Publish(message, type, context => context.MessageId = row.EventId, timeout.Token);

                row.SentAt = Clock.StoredUtcNow();
                row.Attempts++;
                published++;
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            var failed = batch[published];
            failed.Attempts++;
            failed.LastError = $"{exception.GetType().Name}: {exception.Message}";
            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            throw;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return published;
    }
}
