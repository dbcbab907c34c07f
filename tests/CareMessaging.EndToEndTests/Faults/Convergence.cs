using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.Clients;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.EndToEndTests.Events;
using Npgsql;
using Xunit.Abstractions;

namespace CareMessaging.EndToEndTests.Faults;

/// <summary>
/// What must be true once a fault is over and the workload has stopped: every acknowledged
/// message is stored exactly once; for each watcher the badge, the Unread and Read tabs, the
/// stats cards and the summary agree; the audit trail holds one record per message and verifies;
/// the outbox is empty. Read models get <see cref="Settle"/> to catch up.
/// </summary>
public static class Convergence
{
    /// <summary>How long the read models may take to catch up after a fault, with a restarted consumer or broker.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);

    public static async Task AssertAsync(CareMessagingStack stack, SteadySends workload, ITestOutputHelper output)
    {
        Assert.True(workload.Unexpected.Count == 0, "Answers no outage may give:\n" + string.Join('\n', workload.Unexpected.Take(20)));

        await using var clinician = await SignInAsync(stack, DemoUsers.ByUserName("sarah.chen"));
        await AssertStoredExactlyOnceAsync(clinician.Conversations, workload);

        var conversationDb = await stack.GetConnectionStringAsync(ResourceNames.ConversationDb);
        var unsent = await Eventually.Until(() => ScalarAsync(conversationDb, "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"), n => n == 0, Settle);
        Assert.True(unsent == 0, $"{unsent} events are still in the outbox");

        await AssertAuditedOnceAsync(stack, workload);

        foreach (var user in SteadySends.Watchers)
        {
            await using var watcher = await SignInAsync(stack, user);
            var views = await Eventually.Until(() => ViewsAsync(watcher), v => v.Agree, Settle);
            output.WriteLine($"{user.UserName}: {views}");
            Assert.True(views.Agree, $"{user.UserName}'s views disagree: {views}");
        }
    }

    private static async Task AssertStoredExactlyOnceAsync(ConversationsClient client, SteadySends workload)
    {
        var stored = new List<MessageView>();
        foreach (var conversationId in workload.Conversations)
        {
            long? before = null;
            do
            {
                var page = await client.MessagesAsync(conversationId, before: before, limit: ConversationLimits.MaxMessageLimit).OrThrowAsync();
                stored.AddRange(page.Items);
                before = page.NextBefore;
            }
            while (before is not null);
        }

        var byKey = stored.Where(m => m.Body.StartsWith(workload.Run + " ", StringComparison.Ordinal) && !m.Body.EndsWith(" opening", StringComparison.Ordinal))
            .GroupBy(m => m.Body[(workload.Run.Length + 1)..])
            .ToDictionary(g => g.Key, g => g.ToList());
        var duplicated = byKey.Where(entry => entry.Value.Count > 1).Select(entry => entry.Key).ToList();
        var missing = workload.Acknowledged.Keys.Where(key => !byKey.ContainsKey(key)).ToList();
        var strangers = byKey.Keys.Where(key => !workload.Acknowledged.ContainsKey(key)).ToList();
        Assert.True(duplicated.Count == 0, $"{duplicated.Count} messages are stored more than once");
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged messages are missing");
        Assert.True(strangers.Count == 0, $"{strangers.Count} messages are stored that were never acknowledged");
        foreach (var (key, view) in workload.Acknowledged)
        {
            Assert.Equal(view.Id, byKey[key][0].Id);
        }
    }

    private static async Task AssertAuditedOnceAsync(CareMessagingStack stack, SteadySends workload)
    {
        var auditDb = await stack.GetConnectionStringAsync(ResourceNames.AuditDb);
        var expected = workload.Acknowledged.Values.Select(m => m.Id).ToHashSet();
        var recorded = await Eventually.Until(() => AuditedMessagesAsync(auditDb, workload.Conversations),
            r => expected.All(r.ContainsKey), Convergence.Settle);
        var missing = expected.Count(id => !recorded.ContainsKey(id));
        Assert.True(missing == 0, $"{missing} acknowledged messages have no audit record");
        var twice = recorded.Count(entry => entry.Value > 1);
        Assert.True(twice == 0, $"{twice} messages have more than one audit record");

        await using var officer = await SignInAsync(stack, DemoUsers.ComplianceOfficer);
        var verification = await officer.Http.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        Assert.True(verification.GetProperty("valid").GetBoolean(), $"the audit chain does not verify: {verification}");
    }

    /// <summary>What one user sees in each place that shows a count, and whether they agree.</summary>
    internal sealed record Views(DashboardCounts Summary, long? Badge, DashboardCounts? Cards, long UnreadTab, int UnreadTabRows, int ReadTabRows, int AllRows, bool TabsClean)
    {
        public bool Agree =>
            Badge == Summary.UnreadMessages && Cards == Summary && UnreadTab == Summary.UnreadMessages
            && UnreadTabRows + ReadTabRows == AllRows && TabsClean;

        public override string ToString() =>
            $"summary {Summary.TotalConversations}/{Summary.UnreadMessages}/{Summary.UniquePatients}/{Summary.TotalMessages}, " +
            $"cards {Cards?.TotalConversations}/{Cards?.UnreadMessages}/{Cards?.UniquePatients}/{Cards?.TotalMessages}, badge {Badge}, " +
            $"unread tab {UnreadTab} in {UnreadTabRows} rows, read tab {ReadTabRows} rows, all {AllRows} rows, tabs clean {TabsClean}";
    }

    internal static async Task<Views> ViewsAsync(SignedInUser user)
    {
        var conversations = user.Conversations;
        var summary = await user.GetSummaryAsync();
        var badge = (await user.TryGetUnreadAsync())?.Total;
        var cards = await user.TryGetStatsAsync();
        var unread = await AllPagesAsync(conversations, ReadFilter.Unread);
        var read = await AllPagesAsync(conversations, ReadFilter.Read);
        var all = await AllPagesAsync(conversations, ReadFilter.All);
        return new Views(summary, badge, cards, unread.Sum(c => c.UnreadCount), unread.Count, read.Count, all.Count,
            unread.All(c => c.UnreadCount > 0) && read.All(c => c.UnreadCount == 0));
    }

    internal static async Task<List<ConversationListItem>> AllPagesAsync(ConversationsClient client, ReadFilter filter)
    {
        var items = new List<ConversationListItem>();
        string? cursor = null;
        do
        {
            var page = await client.ListAsync(filter, cursor: cursor, limit: ConversationLimits.MaxListLimit).OrThrowAsync();
            items.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return items;
    }

    /// <summary>A sign-in needs the broker and Identity's database: retried while they are still coming back.</summary>
    internal static async Task<SignedInUser> SignInAsync(CareMessagingStack stack, DemoUser user) =>
        await Eventually.Until(async () =>
        {
            try
            {
                return await SignedInUser.SignInAsync(stack, user);
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }, signedIn => signedIn is not null, TestTimeouts.ResourceStart)
        ?? throw new InvalidOperationException($"{user.UserName} could not sign in once the fault was over");

    private static async Task<Dictionary<Guid, long>> AuditedMessagesAsync(string connectionString, IReadOnlyList<Guid> conversations)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT (details::jsonb->>'messageId')::uuid, count(*)
            FROM audit_records
            WHERE action = 'message.sent' AND conversation_id = ANY($1)
            GROUP BY 1
            """, connection);
        command.Parameters.AddWithValue(conversations.ToArray());
        var recorded = new Dictionary<Guid, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            recorded[reader.GetGuid(0)] = reader.GetInt64(1);
        }

        return recorded;
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
