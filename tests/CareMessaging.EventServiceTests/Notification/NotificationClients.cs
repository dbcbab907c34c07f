using System.Diagnostics;
using System.Threading.Channels;
using CareMessaging.Clients;
using CareMessaging.Contracts.Notifications;
using CareMessaging.EventServiceTests.Infrastructure;
using CareMessaging.Notification.Counters;
using CareMessaging.Testing;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace CareMessaging.EventServiceTests.Notification;

/// <summary>
/// A signed-in user's SignalR connection to /hubs/notifications over a WebSocket, with the access
/// token in the Authorization header as the gateway relays it, recording every push with the time
/// it arrived.
/// </summary>
public sealed class PushListener : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly Channel<(UnreadChanged Push, TimeSpan At)> _unread = Channel.CreateUnbounded<(UnreadChanged, TimeSpan)>();
    private readonly Channel<(MessageArrived Push, TimeSpan At)> _arrived = Channel.CreateUnbounded<(MessageArrived, TimeSpan)>();
    private readonly Channel<TimeSpan> _rebuilt = Channel.CreateUnbounded<TimeSpan>();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private PushListener(HubConnection connection)
    {
        _connection = connection;
        _connection.On<UnreadChanged>(NotificationPushes.UnreadChangedMethod, push => _unread.Writer.TryWrite((push, _clock.Elapsed)));
        _connection.On<MessageArrived>(NotificationPushes.MessageArrivedMethod, push => _arrived.Writer.TryWrite((push, _clock.Elapsed)));
        _connection.On(NotificationPushes.CountersRebuiltMethod, () => _rebuilt.Writer.TryWrite(_clock.Elapsed));
    }

    /// <summary>When the next countersRebuilt push arrived that arrived after <paramref name="after"/>.</summary>
    public async Task<TimeSpan> RebuiltAfterAsync(TimeSpan after)
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

    /// <summary>Time on this listener's clock, to compare with the arrival of a push.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public static async Task<PushListener> ConnectAsync(ServiceFactory<UnreadCounters> notification, TestUser user)
    {
        var server = notification.Server;
        var token = notification.TokenFor(user);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, NotificationPushes.HubPath), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.WebSocketFactory = async (context, cancellationToken) =>
                {
                    var client = server.CreateWebSocketClient();
                    client.ConfigureRequest = request => request.Headers.Authorization = $"Bearer {token}";
                    return await client.ConnectAsync(context.Uri, cancellationToken);
                };
            })
            .Build();
        var listener = new PushListener(connection);
        using var cancellation = new CancellationTokenSource(TestTimeouts.Request);
        await connection.StartAsync(cancellation.Token);
        return listener;
    }

    /// <summary>The next unreadChanged push for <paramref name="conversationId"/>, and when it arrived.</summary>
    public Task<(UnreadChanged Push, TimeSpan At)> NextUnreadAsync(Guid conversationId) =>
        NextAsync(_unread, p => p.ConversationId == conversationId);

    public Task<(MessageArrived Push, TimeSpan At)> NextArrivalAsync(Guid messageId) =>
        NextAsync(_arrived, p => p.MessageId == messageId);

    /// <summary>Every unreadChanged push received so far and not yet read by a Next call.</summary>
    public List<UnreadChanged> DrainUnread()
    {
        var pushes = new List<UnreadChanged>();
        while (_unread.Reader.TryRead(out var item))
        {
            pushes.Add(item.Push);
        }

        return pushes;
    }

    private static async Task<(T Push, TimeSpan At)> NextAsync<T>(Channel<(T Push, TimeSpan At)> channel, Func<T, bool> match)
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

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}

/// <summary>GET /api/notifications/unread as a test user, through the services' shared <see cref="NotificationsClient"/>.</summary>
internal static class NotificationApi
{
    public static async Task<UnreadSummary> GetUnreadAsync(this ServiceFactory<UnreadCounters> notification, TestUser user)
    {
        var result = await notification.UnreadAsync(user);
        return result.Value ?? throw new InvalidOperationException($"GET {NotificationsClient.UnreadPath} answered {result.Problem!.Status}: {result.Problem.Title}");
    }

    /// <summary>The summary, or null while the service answers with an error (for example while Redis restarts).</summary>
    public static async Task<UnreadSummary?> TryGetUnreadAsync(this ServiceFactory<UnreadCounters> notification, TestUser user) =>
        (await notification.UnreadAsync(user)).Value;

    public static async Task<long> GetUnreadAsync(this ServiceFactory<UnreadCounters> notification, TestUser user, Guid conversationId) =>
        (await notification.GetUnreadAsync(user)).Conversations.SingleOrDefault(c => c.ConversationId == conversationId)?.Unread ?? 0;

    private static async Task<ApiResult<UnreadSummary>> UnreadAsync(this ServiceFactory<UnreadCounters> notification, TestUser user)
    {
        using var client = notification.CreateClient(user);
        return await new NotificationsClient(client).UnreadAsync();
    }
}
