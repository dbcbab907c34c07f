using CareMessaging.Clients;
using CareMessaging.Contracts.Notifications;
using CareMessaging.Notification.Counters;
using CareMessaging.Notification.Push;
using CareMessaging.Notification.Telemetry;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace CareMessaging.Notification.Rebuild;

/// <summary>
/// Rebuilds the counters from the Conversation service's truth. Each reader's state is merged
/// rather than overwritten (<see cref="UnreadScripts.Merge"/>), so events consumed while the
/// rebuild runs are kept, and two replicas rebuilding at once do no harm. Once complete, every
/// connected page is told to read its counts again: no total was pushed while they were incomplete.
/// </summary>
public sealed partial class CounterRebuilder(
    IConnectionMultiplexer redis,
    UnreadCounters counters,
    ReadModelExportClient readModel,
    IHubContext<NotificationHub> hub,
    NotificationTelemetry telemetry,
    ILogger<CounterRebuilder> logger)
{
    public async Task<CountersRebuildResult> RebuildAsync(CancellationToken cancellationToken)
    {
        using var timing = telemetry.Counters.StartRebuild();
        var db = redis.GetDatabase();
        var epoch = Guid.NewGuid().ToString("N");
        await db.StringSetAsync(UnreadKeys.RebuildEpoch, epoch);

        long conversations = 0;
        var readers = new HashSet<string>();
        await foreach (var conversation in readModel.ReadAllAsync(cancellationToken))
        {
            conversations++;
            var lastSequence = conversation.Messages.Count == 0 ? 0 : conversation.Messages.Max(m => m.Sequence);
            var merges = conversation.Audience.Distinct().Select(reader =>
            {
                readers.Add(reader);
                var horizon = conversation.ReadHorizons.GetValueOrDefault(reader);
                var unread = conversation.Messages.Where(m => m.Sequence > horizon && m.SenderId != reader).Select(m => m.Sequence);
                return counters.MergeAsync(reader, conversation.ConversationId, horizon, lastSequence, unread);
            });
            await Task.WhenAll(merges);
        }

        var complete = (long)await db.ScriptEvaluateAsync(UnreadScripts.MarkReady, [UnreadKeys.RebuildEpoch, UnreadKeys.Ready], [epoch]) == 1;
        timing.Completed(complete);
        LogRebuilt(logger, conversations, readers.Count, complete);
        if (complete)
        {
            await TellPagesAsync(cancellationToken);
        }

        return new CountersRebuildResult(conversations, readers.Count, complete);
    }

    private async Task TellPagesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await hub.Clients.All.SendAsync(NotificationPushes.CountersRebuiltMethod, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The counters are right; pages catch up at their next push or reconnection.
            LogTellPagesFailed(logger, exception.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telling connected pages that the counters were rebuilt failed ({Error})")]
    private static partial void LogTellPagesFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Unread counters rebuilt from {Conversations} conversations for {Readers} readers (complete: {Complete})")]
    private static partial void LogRebuilt(ILogger logger, long conversations, int readers, bool complete);
}

