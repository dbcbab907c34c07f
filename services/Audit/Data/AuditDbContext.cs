using CareMessaging.Audit.Trail;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Audit.Data;

/// <summary>
/// The audit trail's own database. Records are appended with SQL (<see cref="AuditTrail"/>); the
/// database numbers, stamps and hashes them in a trigger and refuses changes (migration
/// TamperEvidentTrail), so EF Core here only reads. Names are snake_case by convention
/// (<c>UseSnakeCaseNamingConvention</c>), as in every service database; the table is named here
/// because the convention would take the set's name.
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
        record.Property(r => r.Id).ValueGeneratedNever();
        record.HasIndex(r => r.EventId).IsUnique();
        record.Property(r => r.Action).HasMaxLength(64);
        record.Property(r => r.ActorId).HasMaxLength(128);
        record.Property(r => r.ActorRole).HasMaxLength(32);
        record.Property(r => r.SourceService).HasMaxLength(32);
        record.Property(r => r.PatientId).HasMaxLength(64);
        record.Property(r => r.CorrelationId).HasMaxLength(64);
        record.Property(r => r.ClientIp).HasMaxLength(64);
        record.Property(r => r.PreviousHash).HasMaxLength(64);
        record.Property(r => r.Hash).HasMaxLength(64);
        record.HasIndex(r => r.OccurredAt);
        record.HasIndex(r => new { r.PatientId, r.Action });
        record.HasIndex(r => new { r.ActorId, r.OccurredAt });
        record.HasIndex(r => new { r.Action, r.OccurredAt });
    }
}
