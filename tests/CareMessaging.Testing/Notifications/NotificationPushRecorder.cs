using System.Diagnostics;
using System.Threading.Channels;
using CareMessaging.Contracts.Notifications;
using Microsoft.AspNetCore.SignalR.Client;

namespace CareMessaging.Testing;

/// <summary>
/// Records every push of the notification hub on one connection with when it arrived (a
/// <see cref="Stopwatch"/> timestamp), so that a test waits for the push it expects and measures
/// how long it took, however the connection was made (through the gateway or to a hosted service).
/// </summary>
public sealed class NotificationPushRecorder
{
    private readonly Channel<(UnreadChanged Push, long At)> _unread = Channel.CreateUnbounded<(UnreadChanged, long)>();
    private readonly Channel<(MessageArrived Push, long At)> _arrived = Channel.CreateUnbounded<(MessageArrived, long)>();
    private readonly Channel<long> _rebuilt = Channel.CreateUnbounded<long>();

    private NotificationPushRecorder()
    {
    }

    /// <summary>Starts recording <paramref name="connection"/>'s pushes; call before the connection starts, so none is missed.</summary>
    public static NotificationPushRecorder Attach(HubConnection connection)
    {
        var recorder = new NotificationPushRecorder();
        connection.On<UnreadChanged>(NotificationPushes.UnreadChangedMethod, push => recorder._unread.Writer.TryWrite((push, Stopwatch.GetTimestamp())));
        connection.On<MessageArrived>(NotificationPushes.MessageArrivedMethod, push => recorder._arrived.Writer.TryWrite((push, Stopwatch.GetTimestamp())));
        connection.On(NotificationPushes.CountersRebuiltMethod, () => recorder._rebuilt.Writer.TryWrite(Stopwatch.GetTimestamp()));
        return recorder;
    }

    /// <summary>The next unreadChanged push for the conversation, and when it arrived.</summary>
    public Task<(UnreadChanged Push, long At)> NextUnreadAsync(Guid conversationId) => NextAsync(_unread, p => p.ConversationId == conversationId);

    /// <summary>The messageArrived push for the message, and when it arrived.</summary>
    public Task<(MessageArrived Push, long At)> NextArrivalAsync(Guid messageId) => NextAsync(_arrived, p => p.MessageId == messageId);

    /// <summary>When the first countersRebuilt push arrived that arrived after the timestamp <paramref name="after"/>.</summary>
    public async Task<long> NextRebuiltAfterAsync(long after)
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.EventDelivery);
        while (true)
        {
            var at = await _rebuilt.Reader.ReadAsync(cancellation.Token);
            if (at > after)
            {
                return at;
            }
        }
    }

    /// <summary>Every unreadChanged push received so far and not yet taken by <see cref="NextUnreadAsync"/>.</summary>
    public List<UnreadChanged> DrainUnread()
    {
        var pushes = new List<UnreadChanged>();
        while (_unread.Reader.TryRead(out var item))
        {
            pushes.Add(item.Push);
        }

        return pushes;
    }

    /// <summary>
    /// Waits until a messageArrived push has come for each of <paramref name="messageIds"/>, in
    /// any order: replicas that share a queue consume, and so push, out of order.
    /// </summary>
    public async Task AllArrivedAsync(IEnumerable<Guid> messageIds)
    {
        var missing = messageIds.ToHashSet();
        using var cancellation = new CancellationTokenSource(TestTimeouts.EventDelivery);
        try
        {
            while (missing.Count > 0)
            {
                missing.Remove((await _arrived.Reader.ReadAsync(cancellation.Token)).Push.MessageId);
            }
        }
        catch (OperationCanceledException exception)
        {
            throw new TimeoutException($"No messageArrived push within {TestTimeouts.EventDelivery} for {string.Join(", ", missing)}.", exception);
        }
    }

    private static async Task<(T Push, long At)> NextAsync<T>(Channel<(T Push, long At)> channel, Func<T, bool> match)
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.EventDelivery);
        while (true)
        {
            var item = await channel.Reader.ReadAsync(cancellation.Token);
            if (match(item.Push))
            {
                return item;
            }
        }
    }
}
