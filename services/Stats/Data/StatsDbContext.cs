using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Stats.Data;

/// <summary>The dashboard read model's own database.</summary>
public sealed class StatsDbContext(DbContextOptions<StatsDbContext> options) : DbContext(options)
{
    /// <summary>Events already applied, so a redelivered event changes nothing.</summary>
    public DbSet<ProcessedEvent> ProcessedEvents => Set<ProcessedEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var processed = modelBuilder.Entity<ProcessedEvent>();
        processed.ToTable("processed_events");
        processed.HasKey(e => e.EventId);
        processed.Property(e => e.EventId).HasColumnName("event_id");
        processed.Property(e => e.ProcessedAt).HasColumnName("processed_at");
    }
}

/// <summary>An integration event the read model has applied.</summary>
public sealed class ProcessedEvent
{
    public Guid EventId { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }
}
