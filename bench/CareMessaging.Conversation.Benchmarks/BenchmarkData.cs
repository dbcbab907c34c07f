using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Data.Migrations;
using CareMessaging.Conversation.Encryption;
using CareMessaging.Conversation.Patients;
using Npgsql;
using NpgsqlTypes;

namespace CareMessaging.Conversation.Benchmarks;

/// <summary>
/// Bulk-loads a hospital-sized data set with COPY: care teams with staff, patients, conversations
/// spread over a year, their messages (bodies encrypted as the service stores them) and read
/// horizons for the measured staff member.
/// </summary>
internal sealed class BenchmarkData(int teams, int patientsPerTeam, int conversations, int messages, int seed = 20261125)
{
    public static readonly string[] Topics =
    [
        "Blood pressure readings", "Insulin dosage question", "Medication refill", "Lab results follow-up",
        "Appointment reschedule", "Physiotherapy plan", "Chest pain after exercise", "Diet and nutrition advice",
        "Wound dressing change", "Sleep problems", "Vaccination schedule", "MRI preparation", "Chemotherapy side effects",
        "Thyroid test results", "Referral to cardiology", "Post-operative check", "Allergy to antibiotics",
        "Glucose monitor readings", "Travel and medication", "Migraine episodes", "Prescription renewal",
        "Insurance paperwork", "Home care visit", "Pain management plan", "Cholesterol results",
    ];

    private static readonly string[] GivenNames = ["Amelia", "Oliver", "Isla", "Noah", "Ava", "Liam", "Mia", "Ethan", "Sofia", "Lucas", "Chloe", "Mateo", "Zara", "Arjun", "Leila", "Kwame", "Yuki", "Elena", "Omar", "Grace"];

    private static readonly string[] FamilyNames = ["Okafor", "Nguyen", "Schmidt", "Garcia", "Kowalski", "Haddad", "Tanaka", "Moreau", "Rossi", "Johansson", "Patel", "O'Brien", "Mensah", "Novak", "Silva", "Cohen", "Ivanova", "Larsen", "Dubois", "Fischer", "Khan", "Murphy", "Weber", "Costa", "Jensen"];

    private readonly Random _random = new(seed);

    public string TeamId(int team) => $"bench-team-{team:D2}";

    public string StaffId(int team, int member) => $"bench-staff-{team:D2}-{member}";

    public static string PatientId(int index) => $"P-{200000 + index}";

    public List<Guid> VisibleConversations { get; } = [];

    /// <summary>Visible conversations that are not archived, so a message can be sent to them.</summary>
    public List<Guid> WritableConversations { get; } = [];

    public async Task LoadAsync(string connectionString, ProtectedFields fields, IReadOnlySet<int> measuredTeams, string measuredStaffId)
    {
        await using var connection = await OpenForLoadAsync(connectionString);

        await using (var writer = await connection.BeginBinaryImportAsync("COPY care_teams (id, name) FROM STDIN (FORMAT BINARY)"))
        {
            for (var team = 0; team < teams; team++)
            {
                await writer.WriteRowAsync(default, TeamId(team), $"Benchmark team {team}");
            }

            await writer.CompleteAsync();
        }

        await using (var staff = await connection.BeginBinaryImportAsync("COPY staff_members (user_id, display_name, role) FROM STDIN (FORMAT BINARY)"))
        {
            for (var team = 0; team < teams; team++)
            {
                for (var member = 0; member < 5; member++)
                {
                    await staff.WriteRowAsync(default, StaffId(team, member), $"Staff {team}-{member}", "clinician");
                }
            }

            await staff.CompleteAsync();
        }

        await using (var memberships = await connection.BeginBinaryImportAsync("COPY staff_memberships (user_id, care_team_id) FROM STDIN (FORMAT BINARY)"))
        {
            for (var team = 0; team < teams; team++)
            {
                for (var member = 0; member < 5; member++)
                {
                    await memberships.WriteRowAsync(default, StaffId(team, member), TeamId(team));
                }
            }

            await memberships.CompleteAsync();
        }

        var patientCount = teams * patientsPerTeam;
        var patients = new (string Given, string Family, int Team)[patientCount];
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY patients (patient_id, given_name, family_name, date_of_birth, care_team_id, portal_user_id, search_text) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < patientCount; i++)
            {
                var given = GivenNames[_random.Next(GivenNames.Length)];
                var family = FamilyNames[_random.Next(FamilyNames.Length)];
                patients[i] = (given, family, i % teams);
                await writer.StartRowAsync();
                await writer.WriteAsync(PatientId(i));
                await writer.WriteAsync(given);
                await writer.WriteAsync(family);
                await writer.WriteAsync(new DateOnly(1940 + _random.Next(70), 1 + _random.Next(12), 1 + _random.Next(28)), NpgsqlDbType.Date);
                await writer.WriteAsync(TeamId(i % teams));
                await writer.WriteAsync($"bench-portal-{i}");
                await writer.WriteAsync(PatientNames.SearchText(PatientId(i), given, family));
            }

            await writer.CompleteAsync();
        }

        var now = DateTimeOffset.UtcNow;
        now = now.AddTicks(-(now.UtcTicks % 10));
        var perConversation = messages / conversations;
        await using var conversationWriter = await connection.BeginBinaryImportAsync(
            "COPY conversations (id, patient_id, care_team_id, topic, status, created_by, created_by_kind, created_at, last_activity_at, message_count, last_sender_id, last_sender_kind, last_message_preview, preview_key_id, search_text) FROM STDIN (FORMAT BINARY)");
        await using var messageConnection = await OpenForLoadAsync(connectionString);
        await using var messageWriter = await messageConnection.BeginBinaryImportAsync(
            "COPY messages (id, conversation_id, sequence, sender_id, sender_kind, sender_name, body, body_key_id, sent_at, client_message_id) FROM STDIN (FORMAT BINARY)");
        var horizons = new List<(Guid Conversation, long Sequence)>();

        for (var c = 0; c < conversations; c++)
        {
            var patientIndex = _random.Next(patientCount);
            var patient = patients[patientIndex];
            var id = Guid.CreateVersion7();
            var count = Math.Max(1, perConversation + _random.Next(-perConversation + 1, perConversation));
            var start = now.AddMinutes(-_random.Next(60, 525_600));
            var topic = $"{Topics[_random.Next(Topics.Length)]} #{c}";
            var staffId = StaffId(patient.Team, _random.Next(5));
            var portalId = $"bench-portal-{patientIndex}";
            string lastSender = string.Empty;
            var lastKind = SenderKind.Patient;
            var sentAt = start;
            var body = string.Empty;

            for (var sequence = 1; sequence <= count; sequence++)
            {
                var fromPatient = sequence % 2 == 1;
                lastSender = fromPatient ? portalId : staffId;
                lastKind = fromPatient ? SenderKind.Patient : SenderKind.Staff;
                sentAt = sentAt.AddMinutes(_random.Next(1, 600));
                body = fromPatient
                    ? $"Message {sequence} about {topic}: I have a question about my treatment and the next steps."
                    : $"Reply {sequence}: thank you, the care team has reviewed this and will follow up shortly.";
                var messageId = Guid.CreateVersion7(sentAt);
                var sealedBody = fields.SealBody(messageId, body);
                await messageWriter.StartRowAsync();
                await messageWriter.WriteAsync(messageId);
                await messageWriter.WriteAsync(id);
                await messageWriter.WriteAsync((long)sequence);
                await messageWriter.WriteAsync(lastSender);
                await messageWriter.WriteAsync(lastKind.ToString());
                await messageWriter.WriteAsync(fromPatient ? $"{patient.Given} {patient.Family}" : $"Staff {staffId}");
                await messageWriter.WriteAsync(sealedBody.Ciphertext);
                await messageWriter.WriteAsync(sealedBody.KeyId);
                await messageWriter.WriteAsync(sentAt, NpgsqlDbType.TimestampTz);
                await messageWriter.WriteAsync($"bench-{messageId:N}");
            }

            var preview = new CareMessaging.Conversation.Conversations.Conversation
            {
                Id = id, PatientId = PatientId(patientIndex), CareTeamId = TeamId(patient.Team), Topic = topic,
                CreatedBy = portalId, CreatedByKind = SenderKind.Patient, CreatedAt = start,
            };
            fields.SetPreview(preview, body);
            await conversationWriter.StartRowAsync();
            await conversationWriter.WriteAsync(id);
            await conversationWriter.WriteAsync(PatientId(patientIndex));
            await conversationWriter.WriteAsync(TeamId(patient.Team));
            await conversationWriter.WriteAsync(topic);
            var status = _random.Next(10) switch { < 6 => "Open", < 9 => "Resolved", _ => "Archived" };
            await conversationWriter.WriteAsync(status);
            await conversationWriter.WriteAsync(portalId);
            await conversationWriter.WriteAsync("Patient");
            await conversationWriter.WriteAsync(start, NpgsqlDbType.TimestampTz);
            await conversationWriter.WriteAsync(sentAt, NpgsqlDbType.TimestampTz);
            await conversationWriter.WriteAsync((long)count);
            await conversationWriter.WriteAsync(lastSender);
            await conversationWriter.WriteAsync(lastKind.ToString());
            await conversationWriter.WriteAsync(preview.LastMessagePreview);
            await conversationWriter.WriteAsync(preview.PreviewKeyId);
            await conversationWriter.WriteAsync(string.Join(PatientNames.FieldSeparator, topic.ToLowerInvariant(),
                PatientNames.SearchText(PatientId(patientIndex), patient.Given, patient.Family)));

            if (measuredTeams.Contains(patient.Team))
            {
                VisibleConversations.Add(id);
                if (status != "Archived")
                {
                    WritableConversations.Add(id);
                }

                // The measured reader is mostly up to date: 85 % read to the end, the rest partly.
                horizons.Add((id, _random.Next(100) < 85 ? count : _random.Next(0, count)));
            }
        }

        await conversationWriter.CompleteAsync();
        await messageWriter.CompleteAsync();
        await conversationWriter.DisposeAsync();

        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY read_horizons (conversation_id, reader_id, read_up_to_sequence, updated_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (conversation, sequence) in horizons.Where(h => h.Sequence > 0))
            {
                await writer.WriteRowAsync(default, conversation, measuredStaffId, sequence, now);
            }

            await writer.CompleteAsync();
        }

        // COPY in replica mode fires no triggers, so the reader tallies are counted afresh once.
        await using (var tallies = new NpgsqlCommand(ReaderTallySql.Rebuild, connection))
        {
            await tallies.ExecuteNonQueryAsync();
        }

        // A table that has been in use is kept vacuumed by autovacuum, so its visibility map lets
        // index-only scans skip the heap; a fresh bulk load has not been vacuumed yet.
        await using var analyze = new NpgsqlCommand("VACUUM ANALYZE", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    // Conversations and their messages stream through two COPYs at once; foreign keys are
    // checked by the service's own writes, not by this bulk load (superuser only).
    private static async Task<NpgsqlConnection> OpenForLoadAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SET session_replication_role = replica", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }
}
