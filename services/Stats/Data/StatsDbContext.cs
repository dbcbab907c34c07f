using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Stats.Data;

/// <summary>
/// The dashboard read model's own database: conversations, messages (ids, sequence numbers, sender,
/// time) and read horizons, from which the figures are counted when asked
/// (docs/decisions/0033-stats-read-model-in-postgres.md). Writes are idempotent SQL upserts
/// (<see cref="ReadModel.StatsStore"/>); EF Core defines the schema and migrates it.
/// </summary>
public sealed class StatsDbContext(DbContextOptions<StatsDbContext> options) : DbContext(options)
{
    /// <summary>Events already applied, so a redelivered event changes nothing.</summary>
    public DbSet<ProcessedEvent> ProcessedEvents => Set<ProcessedEvent>();

    public DbSet<StatsConversation> Conversations => Set<StatsConversation>();

    public DbSet<StatsMessage> Messages => Set<StatsMessage>();

    public DbSet<StatsReadHorizon> ReadHorizons => Set<StatsReadHorizon>();

    public DbSet<StatsRebuild> Rebuilds => Set<StatsRebuild>();

    // Table and column names come from the snake_case naming convention (as in every service's
    // database); StatsStore and StatsQueries write their SQL with those names.
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ProcessedEvent>().HasKey(e => e.EventId);

        var conversation = modelBuilder.Entity<StatsConversation>();
        conversation.HasKey(c => c.ConversationId);
        conversation.Property(c => c.ConversationId).ValueGeneratedNever();
        conversation.Property(c => c.PatientId).HasMaxLength(64);
        conversation.Property(c => c.CareTeamId).HasMaxLength(64);
        conversation.Property(c => c.Status).HasMaxLength(16);
        conversation.HasIndex(c => c.CareTeamId);
        conversation.HasIndex(c => c.PatientId);

        var message = modelBuilder.Entity<StatsMessage>();
        message.HasKey(m => new { m.ConversationId, m.Sequence });
        message.Property(m => m.SenderId).HasMaxLength(128);
        message.Property(m => m.SenderKind).HasMaxLength(16);

        var horizon = modelBuilder.Entity<StatsReadHorizon>();
        horizon.HasKey(h => new { h.ConversationId, h.UserId });
        horizon.Property(h => h.UserId).HasMaxLength(128);
        horizon.HasIndex(h => h.UserId);

        var rebuild = modelBuilder.Entity<StatsRebuild>();
        rebuild.HasKey(r => r.Id);
        rebuild.Property(r => r.Id).UseIdentityAlwaysColumn();
    }
}

/// <summary>An integration event the read model has applied.</summary>
public sealed class ProcessedEvent
{
    public Guid EventId { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }
}

/// <summary>A conversation as the figures need it; created by whichever of its events arrives first.</summary>
public sealed class StatsConversation
{
    public Guid ConversationId { get; set; }

    public required string PatientId { get; set; }

    public required string CareTeamId { get; set; }

    /// <summary>A <see cref="CareMessaging.Contracts.Conversations.ConversationStatus"/> name.</summary>
    public required string Status { get; set; }

    /// <summary>When <see cref="Status"/> was set; an older status change arriving late does not override it.</summary>
    public DateTimeOffset? StatusChangedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }
}

/// <summary>A message: who sent it and when, no text.</summary>
public sealed class StatsMessage
{
    public Guid ConversationId { get; set; }

    public long Sequence { get; set; }

    public Guid MessageId { get; set; }

    public required string SenderId { get; set; }

    /// <summary>A <see cref="CareMessaging.Contracts.Conversations.SenderKind"/> name.</summary>
    public required string SenderKind { get; set; }

    public DateTimeOffset SentAt { get; set; }
}

/// <summary>A reader's read horizon in a conversation; it only moves forward.</summary>
public sealed class StatsReadHorizon
{
    public Guid ConversationId { get; set; }

    public required string UserId { get; set; }

    public long ReadUpTo { get; set; }
}

/// <summary>A rebuild from the Conversation service's export; the first completed one fills in what happened before this service listened.</summary>
public sealed class StatsRebuild
{
    public long Id { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public long Conversations { get; set; }
}
