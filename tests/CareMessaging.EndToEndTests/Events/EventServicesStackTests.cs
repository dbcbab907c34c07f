using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using Npgsql;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace CareMessaging.EndToEndTests.Events;

/// <summary>
/// The Notification, Stats and Audit services in the whole stack: users sign in through the
/// gateway, act through the Conversation service's API, and the read models follow its outbox.
/// The oncology care team and some of its patients are used here and nowhere else in this collection.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class EventServicesStackTests(CareMessagingStack stack, ITestOutputHelper output)
{
    private const string Team = "oncology";

    private static DemoUser Clinician => DemoUsers.ByUserName("robert.hughes");

    private static DemoUser Nurse => DemoUsers.ByUserName("linda.park");

    private static DemoUser Clerk => DemoUsers.ByUserName("kevin.walsh");

    // The first three of the team's patients are signed in by the identity tests.
    private static DemoUser PatientOf(int index) => DemoUsers.PatientsOf(Team)[index];

    [Fact]
    public async Task Staff_message_raises_unread_by_one_for_the_patient_and_each_teammate_is_pushed_to_those_connected_and_reading_clears_it()
    {
        await using var clinician = await SignedInUser.SignInAsync(stack, Clinician);
        await using var nurse = await SignedInUser.SignInAsync(stack, Nurse);
        await using var clerk = await SignedInUser.SignInAsync(stack, Clerk);
        await using var patient = await SignedInUser.SignInAsync(stack, PatientOf(4));
        await nurse.ConnectToHubAsync();
        await patient.ConnectToHubAsync();

        var started = await clinician.StartConversationAsync(patient.User.PatientId!, "Follow-up after chemotherapy", "How are you feeling this week?");
        var conversationId = started.Id;
        await nurse.NextUnreadAsync(conversationId);
        await patient.NextUnreadAsync(conversationId);
        var before = new Dictionary<string, long>();
        foreach (var reader in new[] { nurse, clerk, patient, clinician })
        {
            before[reader.User.UserName] = (await reader.TryGetUnreadAsync())!.Total;
        }

        var sentAt = Stopwatch.GetTimestamp();
        var message = await clinician.SendAsync(conversationId, "Please remember the blood test on Monday.");
        var messageId = message.Id;

        var (nursePush, nurseAt) = await nurse.NextUnreadAsync(conversationId);
        var (patientPush, patientAt) = await patient.NextUnreadAsync(conversationId);
        var (arrived, _) = await patient.NextArrivalAsync(messageId);
        // How fast is the benchmarks' question (EventsBench, LoadBench): here, that the push comes at all.
        output.WriteLine($"Push latency: nurse {Stopwatch.GetElapsedTime(sentAt, nurseAt).TotalMilliseconds:0} ms, patient {Stopwatch.GetElapsedTime(sentAt, patientAt).TotalMilliseconds:0} ms");
        Assert.Equal((2, before[Nurse.UserName] + 1), (nursePush.ConversationUnread, nursePush.Total));
        Assert.Equal((2, before[patient.User.UserName] + 1), (patientPush.ConversationUnread, patientPush.Total));
        Assert.Equal((conversationId, 2L), (arrived.ConversationId, arrived.Sequence));
        Assert.Equal(before[Clerk.UserName] + 1, (await Eventually.Until(clerk.TryGetUnreadAsync, s => s?.Total == before[Clerk.UserName] + 1))!.Total);
        Assert.Equal(before[Clinician.UserName], (await clinician.TryGetUnreadAsync())!.Total);

        await nurse.ReadAllAsync(conversationId);
        var (cleared, _) = await nurse.NextUnreadAsync(conversationId);
        Assert.Equal((0, before[Nurse.UserName] - 1), (cleared.ConversationUnread, cleared.Total));
        var nurseNow = (await nurse.TryGetUnreadAsync())!;
        Assert.DoesNotContain(nurseNow.Conversations, c => c.ConversationId == conversationId);
        Assert.Equal((await nurse.GetSummaryAsync()).UnreadMessages, nurseNow.Total);
        Assert.Equal(before[patient.User.UserName] + 1, (await patient.TryGetUnreadAsync())!.Total);
    }

    [Fact]
    public async Task Counters_lost_from_redis_mid_test_are_rebuilt_and_equal_the_conversation_database()
    {
        await using var clinician = await SignedInUser.SignInAsync(stack, Clinician);
        await using var nurse = await SignedInUser.SignInAsync(stack, Nurse);
        await using var patient = await SignedInUser.SignInAsync(stack, PatientOf(5));
        var started = await patient.StartConversationAsync(patient.User.PatientId!, "Question about side effects", "I have felt dizzy since Tuesday.");
        var conversationId = started.Id;
        await clinician.SendAsync(conversationId, "Thank you, we will call you today.");
        var users = new[] { clinician, nurse, patient };
        await AssertUnreadEqualsDatabaseAsync(users);

        // What Redis loses when it is flushed: every key of the Notification service (the gateway's
        // sessions, in the same Redis, are kept so the signed-in users stay signed in).
        var deleted = await DeleteNotificationKeysAsync();
        Assert.True(deleted > 0);
        await patient.SendAsync(conversationId, "It is a bit better now.");

        await AssertUnreadEqualsDatabaseAsync(users);
        // Not ready while the counters were missing (ADR 0036); ready again once they are rebuilt.
        using var cancellation = new CancellationTokenSource(TestTimeouts.ResourceStart);
        await stack.App.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Notification, cancellation.Token);
    }

    [Fact]
    public async Task Stats_equal_the_conversation_summary_after_a_random_mix_of_starts_sends_reads_and_status_changes()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"Random workload seed: {seed}");
        var random = new Random(seed);
        var staff = new List<SignedInUser>();
        var patients = new List<SignedInUser>();
        try
        {
            foreach (var user in new[] { Clinician, Nurse, Clerk })
            {
                staff.Add(await SignedInUser.SignInAsync(stack, user));
            }

            foreach (var index in new[] { 6, 7 })
            {
                patients.Add(await SignedInUser.SignInAsync(stack, PatientOf(index)));
            }

            var conversations = new List<(Guid Id, SignedInUser Patient)>();
            for (var step = 0; step < 30; step++)
            {
                var roll = random.Next(100);
                if (conversations.Count == 0 || roll < 20)
                {
                    var patient = patients[random.Next(patients.Count)];
                    var starter = random.Next(2) == 0 ? patient : staff[random.Next(staff.Count)];
                    var started = await starter.StartConversationAsync(patient.User.PatientId!, $"Topic {step}", $"Opening message {step}");
                    conversations.Add((started.Id, patient));
                    continue;
                }

                var (id, owner) = conversations[random.Next(conversations.Count)];
                var actor = random.Next(3) == 0 ? owner : staff[random.Next(staff.Count)];
                if (roll < 60)
                {
                    await SendOrReopenAsync(actor, staff[0], id, $"Message {step}");
                }
                else if (roll < 90)
                {
                    await actor.ReadAllAsync(id);
                }
                else
                {
                    await staff[0].ChangeStatusAsync(id, random.Next(2) == 0 ? StatusMove.Archive : StatusMove.Reopen);
                }
            }

            foreach (var user in staff.Concat(patients))
            {
                var summary = await user.GetSummaryAsync();
                var stats = await Eventually.Until(user.TryGetStatsAsync, s => s == summary);
                output.WriteLine($"{user.User.UserName}: summary {summary}, stats {stats}");
                Assert.Equal(summary, stats);
            }
        }
        finally
        {
            foreach (var user in staff.Concat(patients))
            {
                await user.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Audit_holds_the_send_and_the_view_and_only_the_compliance_officer_can_query_and_export_it()
    {
        await using var clinician = await SignedInUser.SignInAsync(stack, Clinician);
        await using var officer = await SignedInUser.SignInAsync(stack, DemoUsers.ComplianceOfficer);
        var patient = PatientOf(8);
        var started = await clinician.StartConversationAsync(patient.PatientId!, "Scan results", "Your scan results are in.");
        var conversationId = started.Id;
        await clinician.ViewAsync(conversationId);

        var records = await Eventually.Until(
            () => officer.Http.GetFromJsonAsync<JsonElement>($"/api/audit/records?patientId={patient.PatientId}&userId={Clinician.UserId}&limit=500"),
            page => Actions(page).Contains("message.sent") && Actions(page).Contains("conversation.viewed"));
        Assert.Contains("message.sent", Actions(records));
        var view = records.GetProperty("items").EnumerateArray().First(r => r.GetProperty("action").GetString() == "conversation.viewed");
        Assert.Equal(conversationId, view.GetProperty("conversationId").GetGuid());
        Assert.Equal(Roles.Clinician, view.GetProperty("actorRole").GetString());
        Assert.Equal(ResourceNames.Conversation, view.GetProperty("sourceService").GetString());

        var viewers = await officer.Http.GetFromJsonAsync<JsonElement>($"/api/audit/patients/{patient.PatientId}/viewers");
        Assert.Contains(viewers.GetProperty("viewers").EnumerateArray(), v => v.GetProperty("userId").GetString() == Clinician.UserId);

        var range = $"from={DateTimeOffset.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}&to={DateTimeOffset.UtcNow.AddMinutes(5):yyyy-MM-ddTHH:mm:ssZ}&patientId={patient.PatientId}";
        using var csv = await officer.Http.GetAsync($"/api/audit/export?{range}&format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Contains(conversationId.ToString(), await csv.Content.ReadAsStringAsync());
        using var ndjson = await officer.Http.GetAsync($"/api/audit/export?{range}&format=ndjson");
        Assert.Equal(HttpStatusCode.OK, ndjson.StatusCode);
        Assert.True((await ndjson.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 3);

        await using var admin = await SignedInUser.SignInAsync(stack, DemoUsers.Admin);
        foreach (var other in new[] { clinician, admin })
        {
            using var refused = await other.Http.GetAsync($"/api/audit/records?patientId={patient.PatientId}");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            using var refusedExport = await other.Http.GetAsync($"/api/audit/export?{range}&format=csv");
            Assert.Equal(HttpStatusCode.Forbidden, refusedExport.StatusCode);
        }
    }

    [Fact]
    public async Task Verify_passes_and_after_one_row_is_altered_in_the_database_it_names_that_row()
    {
        await using var officer = await SignedInUser.SignInAsync(stack, DemoUsers.ComplianceOfficer);
        var verification = await officer.Http.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verification.GetProperty("valid").GetBoolean(), verification.ToString());

        var auditDb = await stack.GetConnectionStringAsync(ResourceNames.AuditDb);
        var (id, actor) = await LatestRecordAsync(auditDb);
        await AlterActorAsync(auditDb, id, "someone-else");
        try
        {
            var broken = await officer.Http.GetFromJsonAsync<JsonElement>("/api/audit/verify");
            Assert.False(broken.GetProperty("valid").GetBoolean());
            Assert.Equal(id, broken.GetProperty("firstBrokenRecordId").GetInt64());
        }
        finally
        {
            await AlterActorAsync(auditDb, id, actor);
        }

        Assert.True((await officer.Http.GetFromJsonAsync<JsonElement>("/api/audit/verify")).GetProperty("valid").GetBoolean());
    }

    /// <summary>Sends, reopening first when the conversation is archived (archived conversations are read-only).</summary>
    private static async Task SendOrReopenAsync(SignedInUser actor, SignedInUser staff, Guid id, string body)
    {
        try
        {
            await actor.SendAsync(id, body);
        }
        catch (HttpRequestException)
        {
            await staff.ChangeStatusAsync(id, StatusMove.Reopen);
            await actor.SendAsync(id, body);
        }
    }

    private static HashSet<string> Actions(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("action").GetString()!).ToHashSet();

    private static async Task AssertUnreadEqualsDatabaseAsync(IEnumerable<SignedInUser> users)
    {
        foreach (var user in users)
        {
            var truth = (await user.GetSummaryAsync()).UnreadMessages;
            var counters = await Eventually.Until(user.TryGetUnreadAsync, s => s?.Total == truth);
            Assert.Equal(truth, counters?.Total);
            Assert.Equal(truth, counters!.Conversations.Sum(c => c.Unread));
        }
    }

    private async Task<long> DeleteNotificationKeysAsync()
    {
        var connectionString = await stack.GetConnectionStringAsync(ResourceNames.Redis);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString + ",allowAdmin=true");
        var server = redis.GetServers().Single();
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: "notification:*"))
        {
            keys.Add(key);
        }

        return await redis.GetDatabase().KeyDeleteAsync([.. keys]);
    }

    private static async Task<(long Id, string Actor)> LatestRecordAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, actor_id FROM audit_records ORDER BY id DESC LIMIT 1 OFFSET 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt64(0), reader.GetString(1));
    }

    /// <summary>Changes one record as someone with the database's superuser rights could: with the append-only trigger off.</summary>
    private static async Task AlterActorAsync(string connectionString, long id, string actor)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var sql in new[]
        {
            "ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only",
            "UPDATE audit_records SET actor_id = $1 WHERE id = $2",
            "ALTER TABLE audit_records ENABLE TRIGGER audit_records_append_only",
        })
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            if (sql.StartsWith("UPDATE", StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue(actor);
                command.Parameters.AddWithValue(id);
            }

            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }
}
