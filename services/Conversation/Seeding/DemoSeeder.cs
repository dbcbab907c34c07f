using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Encryption;
using CareMessaging.Conversation.Messages;
using CareMessaging.Conversation.Patients;
using CareMessaging.Conversation.ReadState;
using CareMessaging.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using ConversationEntity = CareMessaging.Conversation.Conversations.Conversation;

namespace CareMessaging.Conversation.Seeding;

/// <summary>
/// Loads the demo data for local runs (only when <c>Seed:Demo</c> is true): care teams, staff,
/// patients with the same ids the Identity service seeds, and conversations whose times are
/// relative to now. Idempotent: the directory is brought in line with the file, and a
/// conversation that already exists is left as it is. Read horizons: staff of the patient's
/// team and the patient have read everything older than three days, so every staff member starts
/// with some read and some unread conversations. The seed writes no events; the read models
/// rebuild from the read-model export.
/// </summary>
public sealed partial class DemoSeeder(ConversationDbContext db, ProtectedFields fields, TimeProvider clock, ILogger<DemoSeeder> logger)
{
    public static readonly TimeSpan ReadBefore = TimeSpan.FromDays(3);

    public async Task SeedAsync(DemoSeedFile seed, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Two replicas starting together seed one after the other.
        await db.LockForTransactionAsync(AdvisoryLocks.DemoSeed, cancellationToken);

        await SeedDirectoryAsync(seed, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        var existing = (await db.Conversations.Select(c => c.Id).ToListAsync(cancellationToken)).ToHashSet();
        var patients = await db.Patients.ToDictionaryAsync(p => p.PatientId, cancellationToken);
        var staff = await db.StaffMembers.Include(s => s.Memberships).ToDictionaryAsync(s => s.UserId, cancellationToken);
        var added = 0;
        foreach (var conversation in seed.Conversations.Where(c => !existing.Contains(c.Id) && c.Messages.Count > 0))
        {
            AddConversation(conversation, patients[conversation.PatientId], staff);
            added++;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogSeeded(logger, seed.Patients.Count, added);
    }

    private async Task SeedDirectoryAsync(DemoSeedFile seed, CancellationToken cancellationToken)
    {
        var teams = await db.CareTeams.ToDictionaryAsync(t => t.Id, cancellationToken);
        foreach (var team in seed.CareTeams)
        {
            if (teams.TryGetValue(team.Id, out var known))
            {
                known.Name = team.Name;
            }
            else
            {
                db.CareTeams.Add(new CareTeam { Id = team.Id, Name = team.Name });
            }
        }

        var staff = await db.StaffMembers.Include(s => s.Memberships).ToDictionaryAsync(s => s.UserId, cancellationToken);
        foreach (var member in seed.Staff)
        {
            if (!staff.TryGetValue(member.UserId, out var known))
            {
                known = new StaffMember { UserId = member.UserId, DisplayName = member.DisplayName, Role = member.Role };
                db.StaffMembers.Add(known);
            }

            known.DisplayName = member.DisplayName;
            known.Role = member.Role;
            known.Memberships.RemoveAll(m => !member.CareTeams.Contains(m.CareTeamId));
            foreach (var team in member.CareTeams.Where(t => known.Memberships.All(m => m.CareTeamId != t)))
            {
                known.Memberships.Add(new StaffMembership { UserId = member.UserId, CareTeamId = team });
            }
        }

        var patients = await db.Patients.ToDictionaryAsync(p => p.PatientId, cancellationToken);
        foreach (var entry in seed.Patients)
        {
            if (!patients.TryGetValue(entry.PatientId, out var patient))
            {
                patient = new Patient
                {
                    PatientId = entry.PatientId,
                    GivenName = entry.GivenName,
                    FamilyName = entry.FamilyName,
                    DateOfBirth = entry.DateOfBirth,
                    CareTeamId = entry.CareTeam,
                };
                db.Patients.Add(patient);
            }

            patient.GivenName = entry.GivenName;
            patient.FamilyName = entry.FamilyName;
            patient.DateOfBirth = entry.DateOfBirth;
            patient.CareTeamId = entry.CareTeam;
            patient.PortalUserId = entry.UserId;
            patient.RefreshSearchText();
        }
    }

    private void AddConversation(SeedConversation seed, Patient patient, IReadOnlyDictionary<string, StaffMember> staff)
    {
        var now = clock.StoredUtcNow();
        var messages = seed.Messages.OrderByDescending(m => m.MinutesAgo).ToList();
        var first = messages[0];
        var conversation = new ConversationEntity
        {
            Id = seed.Id,
            PatientId = patient.PatientId,
            CareTeamId = patient.CareTeamId,
            Topic = seed.Topic.Trim(),
            Status = Enum.Parse<ConversationStatus>(seed.Status, ignoreCase: true),
            CreatedBy = SenderId(first, patient),
            CreatedByKind = SenderKind(first),
            CreatedAt = now.AddMinutes(-first.MinutesAgo),
        };
        conversation.RefreshSearchText(patient);
        db.Conversations.Add(conversation);

        var readUpTo = 0L;
        foreach (var (entry, index) in messages.Select((m, i) => (m, i)))
        {
            var sentAt = now.AddMinutes(-entry.MinutesAgo);
            var id = Guid.CreateVersion7(sentAt);
            var senderId = SenderId(entry, patient);
            var sealedBody = fields.SealBody(id, entry.Body);
            db.Messages.Add(new Message
            {
                Id = id,
                ConversationId = conversation.Id,
                Sequence = index + 1,
                SenderId = senderId,
                SenderKind = SenderKind(entry),
                SenderName = SenderKind(entry) == Contracts.Conversations.SenderKind.Patient
                    ? patient.FullName
                    : staff.TryGetValue(senderId, out var member) ? member.DisplayName : "Care team member",
                Body = sealedBody.Ciphertext,
                BodyKeyId = sealedBody.KeyId,
                SentAt = sentAt,
                ClientMessageId = $"seed-{conversation.Id:N}-{index + 1}",
            });

            conversation.MessageCount = index + 1;
            conversation.LastActivityAt = sentAt;
            conversation.LastSenderId = senderId;
            conversation.LastSenderKind = SenderKind(entry);
            fields.SetPreview(conversation, entry.Body);
            if (now - sentAt > ReadBefore)
            {
                readUpTo = index + 1;
            }
        }

        if (readUpTo == 0)
        {
            return;
        }

        var readers = staff.Values.Where(s => s.Memberships.Any(m => m.CareTeamId == patient.CareTeamId)).Select(s => s.UserId).ToList();
        if (patient.PortalUserId is { } portalUser)
        {
            readers.Add(portalUser);
        }

        foreach (var reader in readers)
        {
            db.ReadHorizons.Add(new ReadHorizon { ConversationId = conversation.Id, ReaderId = reader, ReadUpToSequence = readUpTo, UpdatedAt = now });
        }
    }

    private static string SenderId(SeedMessage message, Patient patient) =>
        message.Sender == "patient" ? patient.PortalUserId ?? $"patient:{patient.PatientId}" : message.Sender;

    private static SenderKind SenderKind(SeedMessage message) =>
        message.Sender == "patient" ? Contracts.Conversations.SenderKind.Patient : Contracts.Conversations.SenderKind.Staff;

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data seeded: {Patients} patients in the directory, {Added} conversations added")]
    private static partial void LogSeeded(ILogger logger, int patients, int added);
}

/// <summary>Runs the demo seed at start-up when <c>Seed:Demo</c> is true, in Development only (<see cref="DemoSeeding"/>).</summary>
public static class DemoSeedExtensions
{
    public static async Task SeedDemoDataAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        if (!DemoSeeding.IsRequested(app.Configuration, app.Environment))
        {
            return;
        }

        var seed = DemoSeedFile.Load(app.Configuration, app.Environment.ContentRootPath);
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(seed, cancellationToken);
    }
}
