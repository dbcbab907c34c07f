using CareMessaging.Audit.Trail;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Audit.Data;

/// <summary>
/// The audit trail's own database. Records are appended with SQL (<see cref="AuditTrail"/>); the
/// database numbers, stamps and hashes them in a trigger and refuses changes (migration
/// TamperEvidentTrail), so EF Core here only reads.
/// </summary>
public sealed class AuditDbContext(DbContextOptions<AuditDbContext> options) : DbContext(options)
{
    public DbSet<AuditRecord> Records => Set<AuditRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var record = modelBuilder.Entity<AuditRecord>();
        record.ToTable("audit_records");
        record.HasKey(r => r.Id);
        // Numbered by the chain trigger from audit_records_id_seq while it holds the chain lock.
        record.Property(r => r.Id).HasColumnName("id").ValueGeneratedNever();
        record.Property(r => r.EventId).HasColumnName("event_id");
        record.HasIndex(r => r.EventId).IsUnique();
        record.Property(r => r.OccurredAt).HasColumnName("occurred_at");
        record.Property(r => r.RecordedAt).HasColumnName("recorded_at");
        record.Property(r => r.Action).HasColumnName("action").HasMaxLength(64);
        record.Property(r => r.ActorId).HasColumnName("actor_id").HasMaxLength(128);
        record.Property(r => r.ActorRole).HasColumnName("actor_role").HasMaxLength(32);
        record.Property(r => r.SourceService).HasColumnName("source_service").HasMaxLength(32);
        record.Property(r => r.PatientId).HasColumnName("patient_id").HasMaxLength(64);
        record.Property(r => r.ConversationId).HasColumnName("conversation_id");
        record.Property(r => r.CorrelationId).HasColumnName("correlation_id").HasMaxLength(64);
        record.Property(r => r.ClientIp).HasColumnName("client_ip").HasMaxLength(64);
        record.Property(r => r.Details).HasColumnName("details");
        record.Property(r => r.PreviousHash).HasColumnName("previous_hash").HasMaxLength(64);
        record.Property(r => r.Hash).HasColumnName("hash").HasMaxLength(64);
        record.HasIndex(r => r.OccurredAt);
        record.HasIndex(r => new { r.PatientId, r.Action });
        record.HasIndex(r => new { r.ActorId, r.OccurredAt });
        record.HasIndex(r => new { r.Action, r.OccurredAt });
    }
}
