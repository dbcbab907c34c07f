using System.Text.Json;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CareMessaging.Conversation.Tests.Outbox;

[Collection(ConversationServiceCollection.Name)]
public sealed class OutboxPruningTests(ConversationServiceFixture fixture)
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Sent_rows_past_retention_are_deleted_while_recent_sent_rows_and_unsent_rows_of_any_age_stay()
    {
        // A replica whose clock runs 30 days ahead: what is old to it lies in the real future, so the
        // fixture's own replica (real clock) leaves these rows alone and only this one prunes them.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(30));
        var now = clock.GetUtcNow();
        var old = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            old.Add(await InsertAsync(createdAt: now.AddDays(-9), sentAt: now.AddDays(-8).AddMinutes(i)));
        }

        var recent = await InsertAsync(createdAt: now.AddDays(-1), sentAt: now.AddHours(-20));
        var ageing = await InsertAsync(createdAt: now.AddDays(-6), sentAt: now.AddDays(-6));
        await using var waiting = await HoldUnsentRowAsync(createdAt: now.AddDays(-60));

        await using var settings = fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["Encryption:ActiveKeyId"] = ConversationServiceFixture.FirstKeyId,
            [$"Encryption:Keys:{ConversationServiceFixture.FirstKeyId}"] = fixture.FirstKey,
            ["Outbox:RetainSentFor"] = "7.00:00:00",
            ["Outbox:PruneInterval"] = PruneInterval.ToString(),
            // Smaller than the five old rows: one round must go on batch after batch.
            ["Outbox:PruneBatchSize"] = "2",
        });
        await using var replica = settings.WithWebHostBuilder(host => host.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        using var start = replica.CreateClient();

        // The replica prunes as it starts; its clock has not moved, so that one round deleted them all.
        await WaitUntilAsync(async () => (await ExistingAsync(old)).Count == 0);
        Assert.Equal([recent, ageing, waiting.Id], await ExistingAsync([recent, ageing, waiting.Id]));

        // Two days later the row sent six days ago is past the seven days; the others are not.
        clock.Advance(TimeSpan.FromDays(2));
        await WaitUntilAsync(async () =>
        {
            clock.Advance(PruneInterval);
            return (await ExistingAsync([ageing])).Count == 0;
        });
        Assert.Equal([recent, waiting.Id], await ExistingAsync([recent, ageing, waiting.Id]));
        Assert.Equal([waiting.Id], await UnsentAsync([waiting.Id]));
    }

    private async Task<long> InsertAsync(DateTimeOffset createdAt, DateTimeOffset? sentAt, NpgsqlConnection? connection = null)
    {
        await using var owned = connection is null ? await fixture.OpenDatabaseAsync() : null;
        var readEvent = UnrelatedEvents.Read(createdAt, "pruning-test");
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
    private async Task<HeldRow> HoldUnsentRowAsync(DateTimeOffset createdAt)
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
        await WaitUntilAsync(async () => await IsWaitingForLockAsync(holder.ProcessID));
        await turnUnsent.CommitAsync();
        Assert.Equal(id, (long)(await locked.WaitAsync(Testing.TestTimeouts.Request))!);
        await lockRow.DisposeAsync();
        Assert.Equal([id], await UnsentAsync([id]));
        return new HeldRow(id, holder, hold);
    }

    private async Task<bool> IsWaitingForLockAsync(int processId)
    {
        await using var db = await fixture.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = $1", db);
        command.Parameters.AddWithValue(processId);
        return await command.ExecuteScalarAsync() is true;
    }

    private async Task<List<long>> ExistingAsync(IReadOnlyList<long> ids) =>
        await SelectIdsAsync("SELECT id FROM outbox_messages WHERE id = ANY($1) ORDER BY id", ids);

    private async Task<List<long>> UnsentAsync(IReadOnlyList<long> ids) =>
        await SelectIdsAsync("SELECT id FROM outbox_messages WHERE id = ANY($1) AND sent_at IS NULL ORDER BY id", ids);

    private async Task<List<long>> SelectIdsAsync(string sql, IReadOnlyList<long> ids)
    {
        await using var db = await fixture.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand(sql, db);
        command.Parameters.AddWithValue(ids.ToArray());
        var found = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found.Add(reader.GetInt64(0));
        }

        return found;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Testing.TestTimeouts.EventDelivery;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true in time.");
            await Task.Delay(100);
        }
    }

    /// <summary>An unsent row locked by <see cref="Connection"/>; disposing deletes it, so no other test sees it.</summary>
    private sealed record HeldRow(long Id, NpgsqlConnection Connection, NpgsqlTransaction Transaction) : IAsyncDisposable
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
}
