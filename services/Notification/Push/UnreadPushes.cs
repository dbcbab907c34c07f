using CareMessaging.Contracts.Notifications;
using CareMessaging.Notification.Counters;
using Microsoft.AspNetCore.SignalR;

namespace CareMessaging.Notification.Push;

/// <summary>
/// Sends pushes to users' connections on any replica (through the Redis backplane). A push that
/// cannot be sent is logged and dropped: the counters are already right, and a client that
/// reconnects reads them from GET /api/notifications/unread.
/// </summary>
public sealed partial class UnreadPushes(IHubContext<NotificationHub> hub, ILogger<UnreadPushes> logger)
{
    public async Task SendAsync(CounterChange change, MessageArrived? arrived, IReadOnlyList<string> audience, CancellationToken cancellationToken)
    {
        try
        {
            if (arrived is not null && audience.Count > 0)
            {
                await hub.Clients.Users(audience).SendAsync(NotificationPushes.MessageArrivedMethod, arrived, cancellationToken);
            }

            foreach (var reader in change.Changes)
            {
                await hub.Clients.User(reader.UserId).SendAsync(NotificationPushes.UnreadChangedMethod, reader.Push, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogPushFailed(logger, exception);
        }
    }

    /// <summary>Pushes the arrivals, then the readers' unread changes, each to whom it concerns.</summary>
    public async Task SendAsync(IReadOnlyList<(MessageArrived Arrived, IReadOnlyList<string> Audience)> arrivals, IReadOnlyList<ReaderUnread> changes, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(arrivals.Where(arrival => arrival.Audience.Count > 0)
                .Select(arrival => hub.Clients.Users(arrival.Audience).SendAsync(NotificationPushes.MessageArrivedMethod, arrival.Arrived, cancellationToken)));
            await Task.WhenAll(changes.Select(reader => hub.Clients.User(reader.UserId).SendAsync(NotificationPushes.UnreadChangedMethod, reader.Push, cancellationToken)));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogPushFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending a notification push failed; clients catch up from the unread API")]
    private static partial void LogPushFailed(ILogger logger, Exception exception);
}
