using System.Net;
using System.Net.Http.Headers;
using Aspire.Hosting.Testing;
using CareMessaging.AppHost.Operations;
using CareMessaging.Contracts;
using Npgsql;

namespace CareMessaging.EndToEndTests.Foundation;

/// <summary>
/// The operator's chores as dashboard commands (ADR 0008): each one does its work through the
/// service's own route with the operations client's token, and says what it did; a person's
/// token, an administrator's included, cannot call those routes.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class OperatorCommandsTests(CareMessagingStack stack)
{
    [Fact]
    public async Task Rebuild_unread_counters_from_the_dashboard_recounts_every_reader()
    {
        var result = await stack.ExecuteCommandAsync(ResourceNames.Notification, OperatorCommands.RebuildCounters);

        Assert.True(result.Success, result.Message);
        Assert.StartsWith("Unread counters rebuilt:", result.Message);
        Assert.DoesNotContain(" 0 conversations", result.Message);
    }

    [Fact]
    public async Task Rebuild_stats_from_the_dashboard_reads_every_conversation()
    {
        var result = await stack.ExecuteCommandAsync(ResourceNames.Stats, OperatorCommands.RebuildStats);

        Assert.True(result.Success, result.Message);
        Assert.StartsWith("Stats rebuilt from", result.Message);
        Assert.DoesNotContain("from 0 conversations", result.Message);
    }

    [Fact]
    public async Task Verify_audit_chain_from_the_dashboard_reports_an_intact_chain_with_its_record_count()
    {
        var result = await stack.ExecuteCommandAsync(ResourceNames.Audit, OperatorCommands.VerifyAuditChain);

        Assert.True(result.Success, result.Message);
        Assert.Matches(@"^The audit chain is intact: [1-9]\d* records checked\.$", result.Message);
    }

    [Fact]
    public async Task Prune_outbox_from_the_dashboard_deletes_sent_rows_past_retention_and_keeps_recent_ones()
    {
        var database = await stack.GetConnectionStringAsync(ResourceNames.ConversationDb);
        var marker = $"Test.Pruning.{Guid.NewGuid():N}";
        // Rows sent long ago, as a system that has run for weeks holds them, and one sent just now.
        await ExecuteAsync(database, $$"""
            INSERT INTO outbox_messages (event_id, event_type, payload, created_at, sent_at, attempts)
            SELECT gen_random_uuid(), '{{marker}}', '{}', now() - interval '31 days', now() - interval '30 days', 1 FROM generate_series(1, 3);
            INSERT INTO outbox_messages (event_id, event_type, payload, created_at, sent_at, attempts)
            VALUES (gen_random_uuid(), '{{marker}}', '{}', now(), now(), 1);
            """);

        var result = await stack.ExecuteCommandAsync(ResourceNames.Conversation, OperatorCommands.PruneOutbox);

        Assert.True(result.Success, result.Message);
        var deleted = System.Text.RegularExpressions.Regex.Match(result.Message ?? string.Empty, @"^Deleted (\d+) sent outbox rows");
        Assert.True(deleted.Success && int.Parse(deleted.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 3, result.Message);
        Assert.Equal(1, await CountAsync(database, $"SELECT count(*) FROM outbox_messages WHERE event_type = '{marker}'"));
    }

    [Theory]
    [InlineData(ResourceNames.Notification, "POST", "/api/notifications/internal/rebuild")]
    [InlineData(ResourceNames.Stats, "POST", "/api/stats/internal/rebuild")]
    [InlineData(ResourceNames.Audit, "GET", "/api/audit/internal/verify")]
    [InlineData(ResourceNames.Conversation, "POST", "/api/conversations/internal/outbox/prune")]
    public async Task An_administrators_token_cannot_call_the_operator_routes(string service, string method, string path)
    {
        using var client = stack.App.CreateHttpClient(service, "http");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", stack.IdentityTokens(service).For(DemoUsers.Admin));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static async Task<int> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
