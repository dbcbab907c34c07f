using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Outbox;
using CareMessaging.Conversation.Patients;
using CareMessaging.Conversation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Conversation.Tests.Outbox;

/// <summary>
/// The dispatcher is woken by the commit of outbox rows, never before and never for nothing. Each
/// test uses a context of its own with its own signal, so the running service's dispatcher does
/// not take the signal first.
/// </summary>
[Collection(ConversationServiceCollection.Name)]
public sealed class OutboxCommitSignalTests(ConversationServiceFixture fixture)
{
    private readonly OutboxSignal _signal = new();

    [Fact]
    public async Task A_row_saved_inside_a_transaction_signals_only_after_the_commit()
    {
        await using var db = CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        Enqueue(db);

        await db.SaveChangesAsync();
        var beforeCommit = await SignalledAsync();
        await transaction.CommitAsync();

        Assert.False(beforeCommit);
        Assert.True(await SignalledAsync());
    }

    [Fact]
    public async Task A_row_saved_without_a_transaction_signals_once_saved()
    {
        await using var db = CreateContext();
        Enqueue(db);

        await db.SaveChangesAsync();

        Assert.True(await SignalledAsync());
    }

    [Fact]
    public async Task A_rolled_back_row_signals_nothing_then_or_at_the_next_commit()
    {
        await using var db = CreateContext();
        await using (var rolledBack = await db.Database.BeginTransactionAsync())
        {
            Enqueue(db);
            await db.SaveChangesAsync();
            await rolledBack.RollbackAsync();
        }

        db.ChangeTracker.Clear();
        await using (var other = await db.Database.BeginTransactionAsync())
        {
            db.CareTeams.Add(new CareTeam { Id = $"team-{Guid.NewGuid():N}"[..20], Name = "Signal test" });
            await db.SaveChangesAsync();
            await other.CommitAsync();
        }

        Assert.False(await SignalledAsync());
    }

    [Fact]
    public async Task Changing_rows_already_in_the_outbox_signals_nothing()
    {
        await using var db = CreateContext();
        var row = Enqueue(db);
        await db.SaveChangesAsync();
        await SignalledAsync();

        row.LastError = "marked by a test";
        await db.SaveChangesAsync();

        Assert.False(await SignalledAsync());
    }

    private ConversationDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<ConversationDbContext>()
            .UseNpgsql(fixture.DatabaseConnectionString)
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(new OutboxCommitInterceptor(_signal))
            .Options);

    /// <summary>An event about no real conversation; the service's dispatcher publishes it, and nobody counts it.</summary>
    private static OutboxMessage Enqueue(ConversationDbContext db)
    {
        new OutboxWriter(db, TimeProvider.System).Enqueue(UnrelatedEvents.Read(DateTimeOffset.UtcNow, "signal-test"));
        return db.OutboxMessages.Local.Single();
    }

    private Task<bool> SignalledAsync() => _signal.WaitAsync(TimeSpan.Zero, CancellationToken.None);
}
