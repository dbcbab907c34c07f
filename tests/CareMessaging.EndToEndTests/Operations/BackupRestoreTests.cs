using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.EndToEndTests.Events;
using CareMessaging.EndToEndTests.Faults;
using Npgsql;
using Xunit.Abstractions;

namespace CareMessaging.EndToEndTests.Operations;

/// <summary>
/// <c>eng/backup.sh</c> and <c>eng/restore.sh</c> as an operator runs them (ADR 0060): a backup of
/// the running system, restored into its emptied state folder, brings back every conversation,
/// message, read horizon, audit record and account setting; the read models that are not restored
/// (unread counters, stats) are rebuilt to the conversations' truth. The stack is stopped, wiped and
/// started again, so the test starts stacks of its own.
/// </summary>
public sealed class BackupRestoreTests(ITestOutputHelper output)
{
    private const string CareTeam = "cardiology";

    private static DemoUser Clinician => DemoUsers.InTeam(CareTeam, Roles.Clinician)[0];

    private static DemoUser Patient => DemoUsers.PatientsOf(CareTeam)[0];

    /// <summary>A patient who enrols an authenticator before the backup: the setting must outlive the restore.</summary>
    private static DemoUser EnrolledPatient => DemoUsers.Patients.First(p => p.UserName != Patient.UserName);

    [Fact]
    public async Task A_backup_restored_into_an_emptied_state_folder_brings_back_every_conversation_read_state_audit_record_and_setting()
    {
        var started = Stopwatch.GetTimestamp();
        using var state = new TemporaryStateDirectory();
        var backup = state.Path + "-backup";
        try
        {
            Snapshot before;
            string authenticatorKey;
            await using (var stack = await CareMessagingStack.StartOnAsync(state))
            {
                output.WriteLine($"started after {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
                authenticatorKey = await WriteAsync(stack);
                before = await SnapshotAsync(stack);
                output.WriteLine(await OperatorScripts.RunAsync("eng/backup.sh", backup, "--state", state.Path));
            }

            output.WriteLine($"backed up and stopped after {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
            Assert.Empty(await StateFolderProcesses.WaitUntilNoneRunAsync(state.Path));
            state.Wipe();
            output.WriteLine(await OperatorScripts.RunAsync("eng/restore.sh", backup, "--state", state.Path));
            Assert.Empty(StateFolderProcesses.Running(state.Path));
            output.WriteLine($"restored after {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");

            await using (var stack = await CareMessagingStack.StartOnAsync(state))
            {
                output.WriteLine($"started on the restored folder after {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
                var after = await SnapshotAsync(stack);
                AssertSameTruth(before, after);
                await AssertReadModelsRebuiltAsync(stack, before);
                await AssertAuditTrailKeptAsync(stack, before.AuditRecords);
                await AssertAuthenticatorStillRequiredAsync(stack, authenticatorKey);
            }

            output.WriteLine($"the whole test took {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
        }
        finally
        {
            if (Directory.Exists(backup))
            {
                Directory.Delete(backup, recursive: true);
            }
        }
    }

    [Fact]
    public Task Restore_refuses_a_state_folder_that_is_not_empty_and_leaves_it_as_it_was() =>
        WithWellFormedBackupAsync(async (state, backup) =>
        {
            var kept = Path.Combine(state, "credentials.json");
            await File.WriteAllTextAsync(kept, "{}");

            var (exitCode, text) = await OperatorScripts.TryRunAsync("eng/restore.sh", backup, "--state", state);

            Assert.NotEqual(0, exitCode);
            Assert.Contains("is not empty", text, StringComparison.Ordinal);
            Assert.Equal([kept], Directory.GetFileSystemEntries(state));
            Assert.Equal("{}", await File.ReadAllTextAsync(kept));
        });

    [Fact]
    public Task Restore_refuses_a_backup_whose_dump_was_changed_and_writes_nothing() =>
        WithWellFormedBackupAsync(async (state, backup) =>
        {
            await File.AppendAllTextAsync(Path.Combine(backup, "postgres", "conversationdb.dump"), "changed");

            var (exitCode, text) = await OperatorScripts.TryRunAsync("eng/restore.sh", backup, "--state", state);

            Assert.NotEqual(0, exitCode);
            Assert.Contains("is damaged", text, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFileSystemEntries(state));
        });

    /// <summary>
    /// Runs <paramref name="test"/> with an empty state folder and a folder laid out as eng/backup.sh
    /// writes it, with checksums that match and contents no server could read.
    /// </summary>
    private static async Task WithWellFormedBackupAsync(Func<string, string, Task> test)
    {
        using var state = new TemporaryStateDirectory();
        var backup = state.Path + "-backup";
        string[] dumps = ["postgres/conversationdb.dump", "rabbitmq-definitions.json"];
        string[] secrets = ["credentials.json", "identity-secrets.json", "database-logins.json"];
        try
        {
            WriteWithChecksums(backup, dumps);
            WriteWithChecksums(Path.Combine(backup, "secrets"), secrets);
            await test(state.Path, backup);
        }
        finally
        {
            Directory.Delete(backup, recursive: true);
        }
    }

    private static void WriteWithChecksums(string folder, IEnumerable<string> names)
    {
        var sums = new System.Text.StringBuilder();
        foreach (var name in names)
        {
            var file = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, name);
            sums.Append(CultureInfo.InvariantCulture, $"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)))}  {name}\n");
        }

        File.WriteAllText(Path.Combine(folder, "SHA256SUMS"), sums.ToString());
    }

    /// <summary>A conversation with replies, a thread read by the patient and viewed by the clinician, an enrolled authenticator.</summary>
    private static async Task<string> WriteAsync(CareMessagingStack stack)
    {
        await using var clinician = await SignedInUser.SignInAsync(stack, Clinician);
        await using var patient = await SignedInUser.SignInAsync(stack, Patient);
        var thread = await clinician.StartConversationAsync(Patient.PatientId!, "Backup check", "Your results are in.");
        var reply = await patient.SendAsync(thread.Id, "Thank you, what do they say?");
        await clinician.SendAsync(thread.Id, "All within range.");
        await clinician.SendAsync(thread.Id, "Call us if anything changes.");
        await patient.ReadAllAsync(thread.Id);
        await clinician.ViewAsync(thread.Id);

        using var enrolment = GatewayBrowser.For(stack);
        var key = await enrolment.EnrolAuthenticatorAsync(EnrolledPatient.UserName, DemoUsers.Password);

        // The snapshot is taken once the trail holds the reply, so that the backup must carry it.
        var auditDb = await stack.GetConnectionStringAsync(ResourceNames.AuditDb);
        await Eventually.Until(() => AuditedAsync(auditDb, reply.Id), audited => audited, TestTimeouts.EventDelivery);
        return key;
    }

    /// <summary>Everything the users see of the conversations, and the audit trail as stored.</summary>
    private sealed record Snapshot(
        IReadOnlyDictionary<string, IReadOnlyList<ConversationListItem>> Conversations,
        IReadOnlyDictionary<Guid, IReadOnlyList<MessageView>> Messages,
        IReadOnlyDictionary<string, DashboardCounts> Summaries,
        IReadOnlyList<AuditRecord> AuditRecords);

    private sealed record AuditRecord(long Id, Guid EventId, string Hash);

    private static async Task<Snapshot> SnapshotAsync(CareMessagingStack stack)
    {
        var conversations = new Dictionary<string, IReadOnlyList<ConversationListItem>>();
        var summaries = new Dictionary<string, DashboardCounts>();
        var messages = new Dictionary<Guid, IReadOnlyList<MessageView>>();
        foreach (var user in new[] { Clinician, Patient })
        {
            await using var signedIn = await Convergence.SignInAsync(stack, user);
            var list = await Convergence.AllPagesAsync(signedIn.Conversations, ReadFilter.All);
            conversations[user.UserName] = list;
            summaries[user.UserName] = await signedIn.GetSummaryAsync();
            if (user.UserName == Clinician.UserName)
            {
                foreach (var conversation in list)
                {
                    messages[conversation.Id] = await AllMessagesAsync(signedIn, conversation.Id);
                }
            }
        }

        var auditDb = await stack.GetConnectionStringAsync(ResourceNames.AuditDb);
        return new Snapshot(conversations, messages, summaries, await AuditRecordsAsync(auditDb));
    }

    private static void AssertSameTruth(Snapshot before, Snapshot after)
    {
        foreach (var (user, list) in before.Conversations)
        {
            // The list items carry each conversation's status, counts and the user's unread count (the read horizon).
            Assert.Equal(list, after.Conversations[user]);
            Assert.Equal(before.Summaries[user], after.Summaries[user]);
        }

        Assert.Contains(before.Conversations[Clinician.UserName], c => c.Topic == "Backup check" && c.MessageCount == 4);
        Assert.Contains(before.Conversations[Patient.UserName], c => c.Topic == "Backup check" && c.UnreadCount == 0);
        Assert.Equal(before.Messages.Keys.Order(), after.Messages.Keys.Order());
        foreach (var (conversation, messages) in before.Messages)
        {
            // Bodies are decrypted again: the backup carried the key they were encrypted with.
            Assert.Equal(messages, after.Messages[conversation]);
        }
    }

    /// <summary>Redis and the stats database start empty: the badge and the cards are rebuilt and agree with the conversations.</summary>
    private async Task AssertReadModelsRebuiltAsync(CareMessagingStack stack, Snapshot before)
    {
        foreach (var user in new[] { Clinician, Patient })
        {
            await using var signedIn = await Convergence.SignInAsync(stack, user);
            var views = await Eventually.Until(() => Convergence.ViewsAsync(signedIn), v => v.Agree, Convergence.Settle);
            output.WriteLine($"{user.UserName} after the restore: {views}");
            Assert.True(views.Agree, $"{user.UserName}'s badge, cards and tabs disagree after the restore: {views}");
            Assert.Equal(before.Summaries[user.UserName], views.Summary);
        }
    }

    private static async Task AssertAuditTrailKeptAsync(CareMessagingStack stack, IReadOnlyList<AuditRecord> before)
    {
        var after = (await AuditRecordsAsync(await stack.GetConnectionStringAsync(ResourceNames.AuditDb))).ToDictionary(r => r.Id);
        var lost = before.Where(record => !after.TryGetValue(record.Id, out var restored) || restored != record).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {before.Count} audit records are missing or changed after the restore");

        await using var officer = await Convergence.SignInAsync(stack, DemoUsers.ComplianceOfficer);
        var verification = await officer.Http.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verification.GetProperty("valid").GetBoolean(), $"the restored audit chain does not verify: {verification}");
    }

    private static async Task AssertAuthenticatorStillRequiredAsync(CareMessagingStack stack, string key)
    {
        using var withoutCode = GatewayBrowser.For(stack);
        var refused = await withoutCode.TrySignInAsync(EnrolledPatient.UserName, DemoUsers.Password);
        Assert.False(refused.SignedIn);
        Assert.EndsWith("/identity/account/mfa", refused.FinalAddress.AbsolutePath);

        using var withCode = GatewayBrowser.For(stack);
        var signedIn = await withCode.TrySignInAsync(EnrolledPatient.UserName, DemoUsers.Password, key);
        Assert.True(signedIn.SignedIn, signedIn.Error);
    }

    private static async Task<IReadOnlyList<MessageView>> AllMessagesAsync(SignedInUser user, Guid conversationId)
    {
        var messages = new List<MessageView>();
        long? before = null;
        do
        {
            var page = await user.Conversations.MessagesAsync(conversationId, before: before, limit: ConversationLimits.MaxMessageLimit).OrThrowAsync();
            messages.AddRange(page.Items);
            before = page.NextBefore;
        }
        while (before is not null);

        return messages.OrderBy(m => m.Sequence).ToList();
    }

    private static async Task<IReadOnlyList<AuditRecord>> AuditRecordsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, event_id, hash FROM audit_records ORDER BY id", connection);
        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            records.Add(new AuditRecord(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2)));
        }

        return records;
    }

    private static async Task<bool> AuditedAsync(string connectionString, Guid messageId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM audit_records WHERE action = 'message.sent' AND details::jsonb->>'messageId' = $1", connection);
        command.Parameters.AddWithValue(messageId.ToString());
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }
}
