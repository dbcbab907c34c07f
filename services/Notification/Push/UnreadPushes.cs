using System.Diagnostics;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Notifications;
using CareMessaging.Notification.Counters;
using CareMessaging.Notification.Telemetry;
using Microsoft.AspNetCore.SignalR;

namespace CareMessaging.Notification.Push;

/// <summary>
/// Sends pushes to users' connections on any replica (through the Redis backplane). A push that
/// cannot be sent is logged and dropped: the counters are already right, and a client that
/// reconnects reads them from GET /api/notifications/unread.
/// </summary>
public sealed partial class UnreadPushes(IHubContext<NotificationHub> hub, NotificationTelemetry telemetry, ILogger<UnreadPushes> logger)
{
    /// <summary>Pushes what <paramref name="cause"/> changed; its time is where the push latency is measured from.</summary>
    public async Task SendAsync(CounterChange change, MessageArrived? arrived, IReadOnlyList<string> audience, IIntegrationEvent cause, CancellationToken cancellationToken)
    {
        var arrivals = arrived is not null && audience.Count > 0;
        if (!arrivals && change.Changes.Count == 0)
        {
            return;
        }

        // Counts only: the recipients' ids stay out of traces.
        using var span = NotificationTelemetry.Activities.StartActivity(NotificationTelemetry.PushSpanName, ActivityKind.Producer);
        span?.SetTag("caremessaging.push.recipients", (arrivals ? audience.Count : 0) + change.Changes.Count);
        try
        {
            if (arrivals)
            {
                await hub.Clients.Users(audience).SendAsync(NotificationPushes.MessageArrivedMethod, arrived, cancellationToken);
            }

            foreach (var reader in change.Changes)
            {
                await hub.Clients.User(reader.UserId).SendAsync(NotificationPushes.UnreadChangedMethod, reader.Push, cancellationToken);
            }

            telemetry.Pushed(cause);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            span?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            telemetry.PushFailed(cause);
            LogPushFailed(logger, exception);
        }
    }

    /// <summary>
    /// Pushes a batch's arrivals, then the readers' unread changes, each to whom it concerns; the
    /// push latency is measured from each of <paramref name="causes"/>.
    /// </summary>
    public async Task SendAsync(IReadOnlyList<(MessageArrived Arrived, IReadOnlyList<string> Audience)> arrivals, IReadOnlyList<ReaderUnread> changes, IReadOnlyList<IIntegrationEvent> causes, CancellationToken cancellationToken)
    {
        if (arrivals.Count == 0 && changes.Count == 0)
        {
            return;
        }

        // Counts only: the recipients' ids stay out of traces.
        using var span = NotificationTelemetry.Activities.StartActivity(NotificationTelemetry.PushSpanName, ActivityKind.Producer);
        span?.SetTag("caremessaging.push.recipients", arrivals.Sum(arrival => arrival.Audience.Count) + changes.Count);
        try
        {
            await Task.WhenAll(arrivals.Where(arrival => arrival.Audience.Count > 0)
                .Select(arrival => hub.Clients.Users(arrival.Audience).SendAsync(NotificationPushes.MessageArrivedMethod, arrival.Arrived, cancellationToken)));
            await Task.WhenAll(changes.Select(reader => hub.Clients.User(reader.UserId).SendAsync(NotificationPushes.UnreadChangedMethod, reader.Push, cancellationToken)));
            foreach (var cause in causes)
            {
                telemetry.Pushed(cause);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            span?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            foreach (var cause in causes)
            {
                telemetry.PushFailed(cause);
            }

            LogPushFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending a notification push failed; clients catch up from the unread API")]
    private static partial void LogPushFailed(ILogger logger, Exception exception);
}
