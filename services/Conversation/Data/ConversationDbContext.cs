using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Messages;
using CareMessaging.Conversation.Outbox;
using CareMessaging.Conversation.Patients;
using CareMessaging.Conversation.ReadState;
using Microsoft.EntityFrameworkCore;
using ConversationEntity = CareMessaging.Conversation.Conversations.Conversation;

namespace CareMessaging.Conversation.Data;

/// <summary>The Conversation service's own database: patients, conversations, messages, read state, outbox.</summary>
public sealed class ConversationDbContext(DbContextOptions<ConversationDbContext> options) : DbContext(options)
{
    public DbSet<CareTeam> CareTeams => Set<CareTeam>();

    public DbSet<StaffMember> StaffMembers => Set<StaffMember>();

    public DbSet<StaffMembership> StaffMemberships => Set<StaffMembership>();

    public DbSet<Patient> Patients => Set<Patient>();

    public DbSet<ConversationEntity> Conversations => Set<ConversationEntity>();

    public DbSet<Message> Messages => Set<Message>();

    public DbSet<ReadHorizon> ReadHorizons => Set<ReadHorizon>();

    public DbSet<ReaderTally> ReaderTallies => Set<ReaderTally>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Substring search over topics and patient names uses trigram indexes.
        modelBuilder.HasPostgresExtension("pg_trgm");

        modelBuilder.Entity<CareTeam>(team =>
        {
            team.HasKey(t => t.Id);
            team.Property(t => t.Id).HasMaxLength(64);
            team.Property(t => t.Name).HasMaxLength(200);
        });

        modelBuilder.Entity<StaffMember>(staff =>
        {
            staff.HasKey(s => s.UserId);
            staff.Property(s => s.UserId).HasMaxLength(128);
            staff.Property(s => s.DisplayName).HasMaxLength(200);
            staff.Property(s => s.Role).HasMaxLength(32);
            staff.HasMany(s => s.Memberships).WithOne().HasForeignKey(m => m.UserId);
        });

        modelBuilder.Entity<StaffMembership>(membership =>
        {
            membership.HasKey(m => new { m.UserId, m.CareTeamId });
            // The audience of a conversation is the staff of its care team.
            membership.HasIndex(m => m.CareTeamId);
            membership.HasOne<CareTeam>().WithMany().HasForeignKey(m => m.CareTeamId);
        });

        modelBuilder.Entity<Patient>(patient =>
        {
            patient.HasKey(p => p.PatientId);
            patient.Property(p => p.PatientId).HasMaxLength(32);
            patient.Property(p => p.GivenName).HasMaxLength(100);
            patient.Property(p => p.FamilyName).HasMaxLength(100);
            patient.Property(p => p.CareTeamId).HasMaxLength(64);
            patient.Property(p => p.PortalUserId).HasMaxLength(128);
            patient.HasOne<CareTeam>().WithMany().HasForeignKey(p => p.CareTeamId);
            patient.HasIndex(p => new { p.CareTeamId, p.FamilyName, p.GivenName });
            patient.HasIndex(p => p.PortalUserId);
            patient.HasIndex(p => p.SearchText).HasMethod("gin").HasOperators("gin_trgm_ops");
            patient.Ignore(p => p.FullName);
            patient.Ignore(p => p.Initials);
        });

        modelBuilder.Entity<ConversationEntity>(conversation =>
        {
            conversation.HasKey(c => c.Id);
            conversation.Property(c => c.PatientId).HasMaxLength(32);
            conversation.Property(c => c.CareTeamId).HasMaxLength(64);
            conversation.Property(c => c.Topic).HasMaxLength(ConversationLimits.TopicMaxLength);
            conversation.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
            conversation.Property(c => c.CreatedBy).HasMaxLength(128);
            conversation.Property(c => c.CreatedByKind).HasConversion<string>().HasMaxLength(16);
            conversation.Property(c => c.LastSenderId).HasMaxLength(128);
            conversation.Property(c => c.LastSenderKind).HasConversion<string>().HasMaxLength(16);
            conversation.Property(c => c.PreviewKeyId).HasMaxLength(64);
            conversation.HasOne(c => c.Patient).WithMany().HasForeignKey(c => c.PatientId);
            conversation.Ignore(c => c.AwaitingResponse);
            conversation.Ignore(c => c.Keys);

            // The list is ordered by latest activity (then id, for a stable keyset); staff see
            // their teams' conversations, a patient their own.
            // The summary's figures come from this index alone (an index-only scan, ADR 0017).
            conversation.HasIndex(c => new { c.CareTeamId, c.LastActivityAt, c.Id }).IsDescending(false, true, true)
                .IncludeProperties(c => new { c.PatientId, c.Status, c.MessageCount });
            conversation.HasIndex(c => new { c.PatientId, c.LastActivityAt, c.Id }).IsDescending(false, true, true);
            conversation.HasIndex(c => new { c.LastActivityAt, c.Id }).IsDescending(true, true);
            conversation.HasIndex(c => c.SearchText).HasMethod("gin").HasOperators("gin_trgm_ops");
        });

        modelBuilder.Entity<Message>(message =>
        {
            message.HasKey(m => m.Id);
            message.Property(m => m.SenderId).HasMaxLength(128);
            message.Property(m => m.SenderKind).HasConversion<string>().HasMaxLength(16);
            message.Property(m => m.SenderName).HasMaxLength(200);
            message.Property(m => m.BodyKeyId).HasMaxLength(64);
            message.Property(m => m.ClientMessageId).HasMaxLength(ConversationLimits.ClientMessageIdMaxLength);
            message.HasOne<ConversationEntity>().WithMany().HasForeignKey(m => m.ConversationId);
            // Sequences are unique per conversation: the last line of defence against two racing senders.
            message.HasIndex(m => new { m.ConversationId, m.Sequence }).IsUnique().IncludeProperties(m => m.SenderId);
            // A retried send with the same key finds the original; the summary finds the reader's
            // own messages after their horizon in it alone (ADR 0017).
            message.HasIndex(m => new { m.SenderId, m.ClientMessageId }).IsUnique()
                .IncludeProperties(m => new { m.ConversationId, m.Sequence });
        });

        modelBuilder.Entity<ReadHorizon>(horizon =>
        {
            horizon.HasKey(h => new { h.ConversationId, h.ReaderId });
            horizon.Property(h => h.ReaderId).HasMaxLength(128);
            horizon.HasOne<ConversationEntity>().WithMany().HasForeignKey(h => h.ConversationId);
            // The summary sums one reader's horizons from this index alone (ADR 0017).
            horizon.HasIndex(h => new { h.ReaderId, h.ConversationId }).IncludeProperties(h => h.ReadUpToSequence);
        });

        modelBuilder.Entity<ReaderTally>(tally =>
        {
            tally.HasKey(t => new { t.ReaderId, t.CareTeamId });
            tally.Property(t => t.ReaderId).HasMaxLength(128);
            tally.Property(t => t.CareTeamId).HasMaxLength(64);
        });

        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.HasKey(o => o.Id);
            outbox.Property(o => o.Id).UseIdentityAlwaysColumn();
            outbox.Property(o => o.EventType).HasMaxLength(200);
            outbox.Property(o => o.Payload).HasColumnType("jsonb");
            outbox.Property(o => o.TraceParent).HasMaxLength(64);
            outbox.HasIndex(o => o.EventId).IsUnique();
            // The dispatcher looks only at unsent rows, oldest first.
            outbox.HasIndex(o => o.Id).HasFilter("sent_at IS NULL").HasDatabaseName("ix_outbox_messages_unsent");
            // The pruner's search for sent rows past their retention.
            outbox.HasIndex(o => o.SentAt).HasFilter("sent_at IS NOT NULL").HasDatabaseName("ix_outbox_messages_sent_at");
        });
    }
}
