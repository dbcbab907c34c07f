using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.Clients;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Contracts.Notifications;
using CareMessaging.Contracts.Stats;
using Npgsql;

namespace CareMessaging.EndToEndTests.ScaleOut;

/// <summary>
/// The singletons of a scaled-out system (outbox pruning, the read-model rebuilds, the audit
/// retention purge, the demo seed) with two replicas of every service: any replica may run them,
/// both may run them at the same moment, and what an operator or a user sees afterwards is as if
/// one had. The chores are run as the dashboard runs them, on each replica's own address.
/// </summary>
[Collection(ScaledOutCollection.Name)]
public sealed class ScaledOutBackgroundJobsTests(ScaledOutStack stack)
{
    private const string CareTeam = "cardiology";

    [Fact]
    public async Task Pruning_the_outbox_on_both_conversation_replicas_at_once_deletes_each_old_sent_row_once_and_keeps_recent_ones()
    {
        var database = await stack.GetConnectionStringAsync(ResourceNames.ConversationDb);
        var marker = $"Test.ScaledOutPruning.{Guid.NewGuid():N}";
        await QueryAsync(database, $$"""
            INSERT INTO outbox_messages (event_id, event_type, payload, created_at, sent_at, attempts)
            SELECT gen_random_uuid(), '{{marker}}', '{}', now() - interval '31 days', now() - interval '30 days', 1 FROM generate_series(1, 5);
            INSERT INTO outbox_messages (event_id, event_type, payload, created_at, sent_at, attempts)
            VALUES (gen_random_uuid(), '{{marker}}', '{}', now(), now(), 1);
            """);

        var replies = await OnBothReplicasAtOnceAsync<OutboxPruneResult>(ResourceNames.Conversation, "/api/conversations/internal/outbox/prune");

        // One replica prunes while the other finds the lock taken and deletes nothing; the
        // background round of either may have taken some rows first, never the same row twice.
        Assert.InRange(replies.Sum(r => r.Deleted), 0, 5);
        Assert.Equal(1, await QueryAsync(database, $"SELECT count(*) FROM outbox_messages WHERE event_type = '{marker}'"));
        Assert.Equal(1, await QueryAsync(database, $"SELECT count(*) FROM outbox_messages WHERE event_type = '{marker}' AND sent_at > now() - interval '1 day'"));
    }

    [Fact]
    public async Task Messages_sent_with_two_conversation_replicas_are_each_published_once()
    {
        var patientUser = DemoUsers.PatientsOf(CareTeam)[0];
        using var patient = new GatewayBrowser(stack.GatewayAddress);
        await patient.SignInAsync(patientUser.UserName, DemoUsers.Password);
        var database = await stack.GetConnectionStringAsync(ResourceNames.ConversationDb);
        await using var published = await PublishedEvents.ListenAsync(await stack.GetConnectionStringAsync(ResourceNames.Messaging), nameof(MessageSent));

        var (conversationId, messages) = await CrossReplicaConversation.WriteAsync(patient.Client, patientUser.PatientId!, "Published once", sends: 6);

        // Both dispatchers poll the one outbox. A row another replica is sending is locked, so
        // once every row is marked sent, every publish that could happen has happened.
        var conversation = conversationId.ToString();
        await Eventually.Until(
            () => QueryAsync(database, $"SELECT count(*) FROM outbox_messages WHERE payload::jsonb ->> 'conversationId' = '{conversation}' AND sent_at IS NULL"),
            unsent => unsent == 0);
        var received = await Eventually.Until(() => Task.FromResult(published.About(conversationId)), events => events.Count >= messages.Count);
        Assert.Equal(messages.Count, received.Count);
        Assert.Equal(messages.Count, received.Distinct().Count());
    }

    [Fact]
    public async Task Unread_counters_and_stats_rebuilt_by_both_replicas_at_once_equal_the_conversation_services_truth()
    {
        var patientUser = DemoUsers.PatientsOf(CareTeam)[0];
        using var patient = new GatewayBrowser(stack.GatewayAddress);
        await patient.SignInAsync(patientUser.UserName, DemoUsers.Password);
        using var clinician = new GatewayBrowser(stack.GatewayAddress);
        await clinician.SignInAsync(DemoSeed.Current.ClinicianOf(CareTeam).UserName, DemoUsers.Password);
        var (conversationId, messages) = await CrossReplicaConversation.WriteAsync(patient.Client, patientUser.PatientId!, "Rebuilt twice", sends: 3);

        // All four at once: the counters' rebuilds merge per reader, the stats' upsert per conversation.
        var counters = OnBothReplicasAtOnceAsync<CountersRebuildResult>(ResourceNames.Notification, "/api/notifications/internal/rebuild");
        var figures = OnBothReplicasAtOnceAsync<StatsRebuildResult>(ResourceNames.Stats, "/api/stats/internal/rebuild");
        await Task.WhenAll(counters, figures);
        Assert.All(await counters, rebuild => Assert.True(rebuild.Conversations > 0, "a counter rebuild read no conversations"));
        Assert.All(await figures, rebuild => Assert.True(rebuild.Conversations > 0, "a stats rebuild read no conversations"));

        var truth = await new ConversationsClient(clinician.Client).SummaryAsync().OrThrowAsync();
        var unread = await Eventually.Until(
            () => new NotificationsClient(clinician.Client).UnreadAsync(),
            u => u.Value is { } v && v.Total == truth.UnreadMessages && v.Conversations.Any(c => c.ConversationId == conversationId && c.Unread == messages.Count));
        Assert.Equal(truth.UnreadMessages, unread.Value!.Total);
        Assert.Equal(messages.Count, unread.Value.Conversations.Single(c => c.ConversationId == conversationId).Unread);

        var stats = await Eventually.Until(
            () => new StatsClient(clinician.Client).GetAsync(),
            s => s.Value is { } v && Figures(v) == truth);
        Assert.Equal(truth, Figures(stats.Value!));
    }

    [Fact]
    public async Task The_audit_retention_purge_of_both_replicas_is_recorded_once_per_replica_and_the_chain_still_verifies()
    {
        using var officer = new GatewayBrowser(stack.GatewayAddress);
        await officer.SignInAsync(DemoUsers.ComplianceOfficer.UserName, DemoUsers.Password);

        // Each replica runs its purge a minute after it started, at about the same moment as the
        // other; the chain lock puts one after the other, and each run leaves one record.
        var purges = await Eventually.Until(
            () => PurgeRecordsAsync(officer.Client),
            records => records.Select(r => r.ActorId).Distinct().Count() >= ScaledOutStack.ReplicasPerService,
            TestTimeouts.ResourceStart);

        Assert.True(purges.Select(r => r.ActorId).Distinct().Count() >= ScaledOutStack.ReplicasPerService, $"{purges.Count} purge records");
        Assert.All(purges.GroupBy(r => r.ActorId), runs => Assert.Single(runs));
        // Nothing in a trail this young is past retention: a run that removed records would be a second purge of them.
        Assert.All(purges, purge => Assert.Equal(0, purge.PurgedCount));
        var verification = await officer.Client.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verification.GetProperty("valid").GetBoolean(), verification.ToString());
    }

    [Fact]
    public async Task Two_replicas_starting_together_seed_the_demo_data_once()
    {
        var seed = DemoSeed.Current;
        var seeded = seed.Conversations.Where(c => c.Messages.Count > 0).ToList();
        var ids = string.Join(',', seeded.Select(c => $"'{c.Id}'"));

        var conversationDb = await stack.GetConnectionStringAsync(ResourceNames.ConversationDb);
        var identityDb = await stack.GetConnectionStringAsync(ResourceNames.IdentityDb);

        var conversations = await QueryAsync(conversationDb, $"SELECT count(*) FROM conversations WHERE id IN ({ids})");
        // A second seed would find the conversation's id taken; had it written anyway, its messages would be there twice.
        var messages = await QueryAsync(conversationDb, $"SELECT count(*) FROM messages WHERE conversation_id IN ({ids})");
        var patients = await QueryAsync(conversationDb, "SELECT count(*) FROM patients");
        var accounts = await QueryAsync(identityDb, "SELECT count(*) FROM asp_net_users");
        var names = await QueryAsync(identityDb, "SELECT count(DISTINCT normalized_user_name) FROM asp_net_users");

        Assert.Equal(seeded.Count, conversations);
        Assert.Equal(seeded.Sum(c => c.Messages.Count), messages);
        Assert.Equal(seed.Patients.Count, patients);
        Assert.Equal(seed.Staff.Count + seed.Patients.Count(p => p.HasPortalAccount), accounts);
        Assert.Equal(accounts, names);
    }

    private async Task<T[]> OnBothReplicasAtOnceAsync<T>(string service, string path)
    {
        var replicas = await stack.ReplicasOfAsync(service);
        var clients = replicas.Select(replica => stack.OperatorClientOf(service, replica)).ToList();
        try
        {
            return await Task.WhenAll(clients.Select(async client =>
            {
                using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content: null);
                Assert.True(response.IsSuccessStatusCode, $"{service} at {client.BaseAddress} answered {(int)response.StatusCode}");
                return (await response.Content.ReadFromJsonAsync<T>())!;
            }));
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }

    private static DashboardCounts Figures(StatsResponse stats) => new()
    {
        TotalConversations = stats.TotalConversations,
        UnreadMessages = stats.UnreadMessages,
        UniquePatients = stats.UniquePatients,
        TotalMessages = stats.TotalMessages,
    };

    private sealed record PurgeRecord(string ActorId, long PurgedCount);

    private static async Task<List<PurgeRecord>> PurgeRecordsAsync(HttpClient officer)
    {
        var page = await officer.GetFromJsonAsync<JsonElement>("/api/audit/records?action=audit.purged&limit=500");
        return page.GetProperty("items").EnumerateArray()
            .Select(r => new PurgeRecord(
                r.GetProperty("actorId").GetString()!,
                JsonDocument.Parse(r.GetProperty("details").GetString()!).RootElement.GetProperty("purgedCount").GetInt64()))
            .ToList();
    }

    private static async Task<long> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() is long count ? count : 0;
    }
}
