using CareMessaging.Audit.Trail;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Audit.Data;

/// <summary>The audit trail's own database.</summary>
public sealed class AuditDbContext(DbContextOptions<AuditDbContext> options) : DbContext(options)
{
    public DbSet<AuditRecord> Records => Set<AuditRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var record = modelBuilder.Entity<AuditRecord>();
        record.ToTable("audit_records");
        record.HasKey(r => r.Id);
        record.Property(r => r.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        record.Property(r => r.EventId).HasColumnName("event_id");
        record.HasIndex(r => r.EventId).IsUnique();
        record.Property(r => r.OccurredAt).HasColumnName("occurred_at");
        record.Property(r => r.RecordedAt).HasColumnName("recorded_at");
        record.Property(r => r.Action).HasColumnName("action").HasMaxLength(64);
        record.Property(r => r.ActorId).HasColumnName("actor_id").HasMaxLength(128);
        record.Property(r => r.ActorRole).HasColumnName("actor_role").HasMaxLength(32);
        record.Property(r => r.SourceService).HasColumnName("source_service").HasMaxLength(32);
        record.HasIndex(r => r.OccurredAt);
    }
}
