using CareMessaging.EventServiceTests.Infrastructure;
using CareMessaging.Stats.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace CareMessaging.EventServiceTests.Stats;

/// <summary>A Stats database made before the snake_case naming convention is upgraded in place.</summary>
[Collection(EventServicesCollection.Name)]
public sealed class StatsDatabaseTests(EventServicesFixture fixture)
{
    private const string BeforeSnakeCaseKeyNames = "20261125203856_DashboardReadModel";

    [Fact]
    public async Task Upgrading_a_database_to_snake_case_key_names_keeps_every_row_and_its_keys()
    {
        var database = new NpgsqlConnectionStringBuilder(fixture.StatsDbConnectionString) { Database = $"statsdb_{Guid.NewGuid():N}" };
        await using var db = new StatsDbContext(new DbContextOptionsBuilder<StatsDbContext>()
            .UseNpgsql(database.ConnectionString)
            .UseSnakeCaseNamingConvention()
            .Options);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(BeforeSnakeCaseKeyNames);
        var (conversationId, messageId) = (Guid.NewGuid(), Guid.NewGuid());
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO conversations (conversation_id, patient_id, care_team_id, status) VALUES ({conversationId}, 'P-1', 'team-1', 'Open');
            INSERT INTO messages (conversation_id, sequence, message_id, sender_id, sender_kind, sent_at)
                VALUES ({conversationId}, 1, {messageId}, 'patient-1', 'Patient', now());
            """);

        await migrator.MigrateAsync();

        var message = await db.Messages.SingleAsync(m => m.ConversationId == conversationId);
        Assert.Equal((1L, messageId), (message.Sequence, message.MessageId));
        Assert.Equal("team-1", (await db.Conversations.SingleAsync(c => c.ConversationId == conversationId)).CareTeamId);
        // The upserts' ON CONFLICT still finds the renamed key: a redelivered message is not stored twice.
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO messages (conversation_id, sequence, message_id, sender_id, sender_kind, sent_at)
                VALUES ({conversationId}, 1, {messageId}, 'patient-1', 'Patient', now())
            ON CONFLICT (conversation_id, sequence) DO NOTHING
            """);
        Assert.Equal(0, inserted);
        var keys = await db.Database.SqlQuery<string>($"""
            SELECT conname AS "Value" FROM pg_constraint WHERE contype = 'p' AND conrelid::regclass::text = 'messages'
            """).ToListAsync();
        Assert.Equal("pk_messages", Assert.Single(keys));

        await db.Database.EnsureDeletedAsync();
    }
}
