using System.Text.Json;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Testing;
using Npgsql;

namespace CareMessaging.Conversation.Tests.Infrastructure;

/// <summary>Outbox rows written straight into the database, for tests of the dispatcher, the pruner and the outbox's health.</summary>
public sealed class OutboxRows(ConversationServiceFixture fixture)
{
    public async Task<long> InsertAsync(DateTimeOffset createdAt, DateTimeOffset? sentAt, NpgsqlConnection? connection = null)
    {
        await using var owned = connection is null ? await fixture.OpenDatabaseAsync() : null;
        var readEvent = UnrelatedEvents.Read(createdAt, "outbox-test");
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO outbox_messages (event_id, event_type, payload, created_at, sent_at, attempts)
            VALUES ($1, $2, $3::jsonb, $4, $5, $6) RETURNING id
            """, connection ?? owned);
        command.Parameters.AddWithValue(readEvent.EventId);
        command.Parameters.AddWithValue(typeof(ConversationRead).FullName!);
        command.Parameters.AddWithValue(JsonSerializer.Serialize(readEvent, JsonSerializerOptions.Web));
        command.Parameters.AddWithValue(createdAt);
        command.Parameters.AddWithValue(sentAt is { } sent ? sent : DBNull.Value);
        command.Parameters.AddWithValue(sentAt is null ? 0 : 1);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// An unsent row that no dispatcher can publish during the test, as if the broker had been down
    /// since <paramref name="createdAt"/>. It is committed as sent in the far future (nobody's to
    /// publish or prune), then turned unsent in a transaction while a second connection already
    /// queues for its row lock; that connection holds the lock from the commit on, and the
    /// dispatchers, which skip locked rows, leave it unsent. The pruner sees it, unsent, all along.
    /// </summary>
    public async Task<HeldRow> HoldUnsentAsync(DateTimeOffset createdAt)
    {
        var id = await InsertAsync(createdAt, sentAt: createdAt.AddYears(100));
        await using var writer = await fixture.OpenDatabaseAsync();
        await using var turnUnsent = await writer.BeginTransactionAsync();
        await using (var update = new NpgsqlCommand("UPDATE outbox_messages SET sent_at = NULL, attempts = 0 WHERE id = $1", writer, turnUnsent))
        {
            update.Parameters.AddWithValue(id);
            await update.ExecuteNonQueryAsync();
        }

        var holder = await fixture.OpenDatabaseAsync();
        var hold = await holder.BeginTransactionAsync();
        var lockRow = new NpgsqlCommand("SELECT id FROM outbox_messages WHERE id = $1 FOR UPDATE", holder, hold);
        lockRow.Parameters.AddWithValue(id);
        var locked = lockRow.ExecuteScalarAsync();
        await Eventually.Until(() => IsWaitingForLockAsync(holder.ProcessID), waiting => waiting);
        await turnUnsent.CommitAsync();
        Assert.Equal(id, (long)(await locked.WaitAsync(TestTimeouts.Request))!);
        await lockRow.DisposeAsync();
                return new HeldRow(id, holder, hold);
    }

    private async Task<bool> IsWaitingForLockAsync(int processId)
    {
        await using var db = await fixture.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = $1", db);
        command.Parameters.AddWithValue(processId);
        return await command.ExecuteScalarAsync() is true;
    }
}

/// <summary>An unsent row locked by <see cref="Connection"/>; disposing deletes it, so no other test sees it.</summary>
public sealed record HeldRow(long Id, NpgsqlConnection Connection, NpgsqlTransaction Transaction) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await using (var delete = new NpgsqlCommand("DELETE FROM outbox_messages WHERE id = $1", Connection, Transaction))
        {
            delete.Parameters.AddWithValue(Id);
            await delete.ExecuteNonQueryAsync();
        }

        await Transaction.CommitAsync();
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}

