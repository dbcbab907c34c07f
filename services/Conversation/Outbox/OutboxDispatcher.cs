using System.Diagnostics;
using System.Text.Json;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Data;
using CareMessaging.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace CareMessaging.Conversation.Outbox;

/// <summary>
/// Publishes committed outbox rows to RabbitMQ through MassTransit and marks them sent
/// (docs/decisions/0011-transactional-outbox.md, 0050-outbox-throughput.md). A round claims a
/// batch with <c>FOR UPDATE SKIP LOCKED</c> on the outbox's own connection pool
/// (<see cref="OutboxConnections"/>), publishes the whole batch at once, so the broker confirms
/// many events per round trip, and marks it sent in one statement before the transaction ends.
/// Several dispatchers, in one replica or many, therefore share the work without publishing a
/// row twice in the normal case. A crash between publishing and committing publishes the rows
/// again: delivery is at-least-once, and consumers deduplicate by event id. Each event is
/// published as a child of the request that wrote it (its stored <c>traceparent</c>), so one
/// trace follows a message from the gateway to the consumers. While the broker is down the
/// batch fails, the rows stay unsent, and the dispatcher retries with a growing pause that no
/// signal cuts short; otherwise it waits for the signal of a commit or the poll interval.
/// </summary>
public sealed class OutboxDispatcher(
    OutboxConnections connections,
    IBus bus,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundLoop(clock, logger)
{
    private static readonly IReadOnlyDictionary<string, Type> EventTypes = typeof(ConversationStarted).Assembly.GetTypes()
        .Where(type => typeof(Contracts.IIntegrationEvent).IsAssignableFrom(type) && type is { IsClass: true, IsAbstract: false })
        .ToDictionary(type => type.FullName!);

    // The service's own source (ServiceDefaults listens to it): the publish span links the stored request trace to MassTransit's.
    private readonly ActivitySource _activities = new(environment.ApplicationName);

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
        await using var connection = await connections.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var batch = await ClaimAsync(connection, transaction, settings.BatchSize, cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        var outcomes = await Task.WhenAll(batch.Select(row => PublishAsync(row, settings.PublishTimeout, cancellationToken)));
        var sent = batch.Where((_, index) => outcomes[index] is null).Select(row => row.Id).ToArray();
        var failed = batch.Select((row, index) => (row.Id, Error: outcomes[index])).Where(row => row.Error is not null).ToList();

        // What was published is marked even when the rest failed, so it is not published again.
        await using (var mark = new NpgsqlCommand(
            "UPDATE outbox_messages SET sent_at = $1, attempts = attempts + 1 WHERE id = ANY($2)", connection, transaction))
        {
            mark.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = Clock.StoredUtcNow() });
            mark.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = sent });
            await mark.ExecuteNonQueryAsync(CancellationToken.None);
        }

        if (failed.Count > 0)
        {
            await using var note = new NpgsqlCommand(
                "UPDATE outbox_messages SET attempts = attempts + 1, last_error = $1 WHERE id = ANY($2)", connection, transaction);
            note.Parameters.Add(new NpgsqlParameter<string> { TypedValue = failed[0].Error! });
            note.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = failed.Select(row => row.Id).ToArray() });
            await note.ExecuteNonQueryAsync(CancellationToken.None);
        }

        await transaction.CommitAsync(CancellationToken.None);
        cancellationToken.ThrowIfCancellationRequested();
        if (failed.Count > 0)
        {
            throw new OutboxPublishException(failed.Count, batch.Count, failed[0].Error!);
        }

        return sent.Length;
    }

    private static async Task<List<PendingEvent>> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int batchSize, CancellationToken cancellationToken)
    {
        await using var claim = new NpgsqlCommand(
            """
            SELECT id, event_id, event_type, payload::text, trace_parent FROM outbox_messages
            WHERE sent_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
            """, connection, transaction);
        claim.Parameters.Add(new NpgsqlParameter<int> { TypedValue = batchSize, NpgsqlDbType = NpgsqlDbType.Integer });
        var batch = new List<PendingEvent>(batchSize);
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            batch.Add(new PendingEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return batch;
    }

    /// <summary>Publishes one row in the trace of the request that wrote it; null when the broker confirmed it, else what went wrong.</summary>
    private async Task<string?> PublishAsync(PendingEvent row, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var type = EventTypes.TryGetValue(row.EventType, out var known)
                ? known
                : throw new InvalidOperationException($"Outbox row {row.Id} has an unknown event type {row.EventType}.");
            var message = JsonSerializer.Deserialize(row.Payload, type, OutboxWriter.JsonOptions)!;
            ActivityContext.TryParse(row.TraceParent, null, isRemote: true, out var parent);
            using var activity = _activities.StartActivity("outbox publish", ActivityKind.Producer, parent);
            activity?.SetTag("messaging.message.id", row.EventId);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            await bus.Publish(message, type, context => context.MessageId = row.EventId, deadline.Token);
            return null;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return $"{exception.GetType().Name}: {exception.Message}";
        }
    }

    public override void Dispose()
    {
        _activities.Dispose();
        base.Dispose();
    }

    private sealed record PendingEvent(long Id, Guid EventId, string EventType, string Payload, string? TraceParent);
}

/// <summary>Some events of a batch could not be published; they stay unsent and are tried again after a pause.</summary>
public sealed class OutboxPublishException(int failed, int batch, string firstError)
    : Exception($"{failed} of {batch} outbox events could not be published; the first failure: {firstError}");
