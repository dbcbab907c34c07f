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

    private readonly OutboxRows _rows = new(fixture);

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
            old.Add(await _rows.InsertAsync(createdAt: now.AddDays(-9), sentAt: now.AddDays(-8).AddMinutes(i)));
        }

        var recent = await _rows.InsertAsync(createdAt: now.AddDays(-1), sentAt: now.AddHours(-20));
        var ageing = await _rows.InsertAsync(createdAt: now.AddDays(-6), sentAt: now.AddDays(-6));
        await using var waiting = await _rows.HoldUnsentAsync(createdAt: now.AddDays(-60));

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
}
