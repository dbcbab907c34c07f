using System.Diagnostics;
using CareMessaging.Clients;
using CareMessaging.Contracts;
using Npgsql;

namespace CareMessaging.LoadBench;

/// <summary>Counts of what the stores hold, read straight from the databases: the Conversation service's truth and what each read model made of it.</summary>
internal sealed record StoreCounts(long Messages, long UnsentEvents, long StatsMessages, long AuditedMessages);

/// <summary>
/// Reads the stores and compares the read models with the Conversation service's truth: the
/// outbox is empty, Stats and the audit trail hold one entry per stored message, and a teammate's
/// unread badge (Notification) and dashboard (Stats) equal what the Conversation service counts.
/// </summary>
internal sealed class Truth(NpgsqlDataSource conversations, NpgsqlDataSource stats, NpgsqlDataSource audit, Sender observer)
{
    public static async Task<Truth> ConnectAsync(LoadStack stack, Sender observer) => new(
        NpgsqlDataSource.Create(await stack.GetConnectionStringAsync(ResourceNames.ConversationDb)),
        NpgsqlDataSource.Create(await stack.GetConnectionStringAsync(ResourceNames.StatsDb)),
        NpgsqlDataSource.Create(await stack.GetConnectionStringAsync(ResourceNames.AuditDb)),
        observer);

    public async Task<StoreCounts> CountAsync() => new(
        await ScalarAsync(conversations, "SELECT count(*) FROM messages"),
        await ScalarAsync(conversations, "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"),
        await ScalarAsync(stats, "SELECT count(*) FROM messages"),
        await ScalarAsync(audit, "SELECT count(*) FROM audit_records WHERE action = 'message.sent'"));

    /// <summary>How many of <paramref name="messageIds"/> (each answered 201) are not stored.</summary>
    public async Task<long> MissingAsync(IReadOnlyCollection<Guid> messageIds)
    {
        await using var command = conversations.CreateCommand("SELECT count(*) FROM messages WHERE id = ANY(@ids)");
        command.Parameters.AddWithValue("ids", messageIds.ToArray());
        return messageIds.Count - (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Waits until every side effect of the stored messages has happened; returns how long that
    /// took from <paramref name="since"/> (a Stopwatch timestamp), or null if it had not within
    /// <paramref name="patience"/>, with the last counts either way.
    /// </summary>
    public async Task<(TimeSpan? CaughtUp, StoreCounts Counts, string Detail)> WaitUntilCaughtUpAsync(StoreCounts before, long since, TimeSpan patience)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(patience.TotalSeconds * Stopwatch.Frequency);
        StoreCounts counts;
        var detail = "";
        while (true)
        {
            counts = await CountAsync();
            var stored = counts.Messages - before.Messages;
            var stores = counts.UnsentEvents == 0
                && counts.StatsMessages - before.StatsMessages == stored
                && counts.AuditedMessages - before.AuditedMessages == stored;
            if (stores)
            {
                (var agree, detail) = await ReadModelsAgreeAsync();
                if (agree)
                {
                    return (Stopwatch.GetElapsedTime(since), counts, detail);
                }
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                return (null, counts, detail);
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The observer's badge and dashboard against the Conversation service's counts.</summary>
    private async Task<(bool Agree, string Detail)> ReadModelsAgreeAsync()
    {
        try
        {
            return await CompareReadModelsAsync();
        }
        catch (HttpRequestException exception)
        {
            // A service restarting after the load is part of what the figures show, not the end of the run.
            return (false, $"the gateway did not answer: {exception.Message}");
        }
    }

    private async Task<(bool Agree, string Detail)> CompareReadModelsAsync()
    {
        var truth = (await observer.Conversations.SummaryAsync()).Value;
        var badge = (await new NotificationsClient(observer.Http).UnreadAsync()).Value;
        var dashboard = (await new StatsClient(observer.Http).GetAsync()).Value;
        if (truth is null || badge is null || dashboard is null)
        {
            return (false, "a read model did not answer");
        }

        var agree = badge.Total == truth.UnreadMessages
            && dashboard.UnreadMessages == truth.UnreadMessages
            && dashboard.TotalMessages == truth.TotalMessages
            && dashboard.TotalConversations == truth.TotalConversations;
        return (agree, $"unread {truth.UnreadMessages} (badge {badge.Total}, stats {dashboard.UnreadMessages}), messages {truth.TotalMessages} (stats {dashboard.TotalMessages})");
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
