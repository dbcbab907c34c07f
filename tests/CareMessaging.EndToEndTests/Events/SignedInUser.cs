using System.Net;
using CareMessaging.Clients;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Contracts.Notifications;
using Microsoft.AspNetCore.SignalR.Client;

namespace CareMessaging.EndToEndTests.Events;

/// <summary>
/// A demo user signed in through the gateway (session cookie, anti-forgery header), calling the
/// public APIs with the services' clients and, once connected, receiving the notification hub's
/// pushes over the gateway's WebSocket, on which the gateway relays the session's access token.
/// </summary>
public sealed class SignedInUser : IAsyncDisposable
{
    private readonly GatewayBrowser _browser;
    private HubConnection? _hub;
    private NotificationPushRecorder? _pushes;

    private SignedInUser(DemoUser user, GatewayBrowser browser)
    {
        (User, _browser) = (user, browser);
        Conversations = new ConversationsClient(browser.Client);
    }

    public DemoUser User { get; }

    public HttpClient Http => _browser.Client;

    public ConversationsClient Conversations { get; }

    private NotificationPushRecorder Pushes => _pushes ?? throw new InvalidOperationException($"{User} is not connected to the hub.");

    public static async Task<SignedInUser> SignInAsync(CareMessagingStack stack, DemoUser user)
    {
        var browser = GatewayBrowser.For(stack);
        await browser.SignInAsync(user.UserName, DemoUsers.Password);
        return new SignedInUser(user, browser);
    }

    /// <summary>Connects to /hubs/notifications through the gateway with this browser's session cookie only.</summary>
    public async Task ConnectToHubAsync()
    {
        _hub = _browser.NotificationHub();
        _pushes = NotificationPushRecorder.Attach(_hub);
        using var cancellation = new CancellationTokenSource(TestTimeouts.Request);
        await _hub.StartAsync(cancellation.Token);
    }

    /// <summary>The next unreadChanged push for the conversation, and when it arrived (a Stopwatch timestamp).</summary>
    public Task<(UnreadChanged Push, long At)> NextUnreadAsync(Guid conversationId) => Pushes.NextUnreadAsync(conversationId);

    public Task<(MessageArrived Push, long At)> NextArrivalAsync(Guid messageId) => Pushes.NextArrivalAsync(messageId);

    public Task<ConversationThread> StartConversationAsync(string patientId, string topic, string body) =>
        Conversations.StartAsync(new StartConversationRequest(patientId, topic, body, Guid.NewGuid().ToString())).OrThrowAsync();

    public Task<MessageView> SendAsync(Guid conversationId, string body) =>
        Conversations.SendAsync(conversationId, new SendMessageRequest(body, Guid.NewGuid().ToString())).OrThrowAsync();

    /// <summary>Opens the thread (an access event) and returns it.</summary>
    public Task<ConversationThread> ViewAsync(Guid conversationId) => Conversations.GetAsync(conversationId).OrThrowAsync();

    /// <summary>Opens the thread and marks everything in it read.</summary>
    public async Task ReadAllAsync(Guid conversationId)
    {
        var thread = await ViewAsync(conversationId);
        var latest = thread.Messages.Items.MaxBy(m => m.Sequence)!;
        await Conversations.MarkReadAsync(conversationId, latest.Id).OrThrowAsync();
    }

    public Task ChangeStatusAsync(Guid conversationId, StatusMove move) => Conversations.ChangeStatusAsync(conversationId, move).OrThrowAsync();

    /// <summary>The badge's figures, or null while the Notification service answers with an error.</summary>
    public async Task<UnreadSummary?> TryGetUnreadAsync() => (await new NotificationsClient(Http).UnreadAsync()).Value;

    public Task<DashboardCounts> GetSummaryAsync() => Conversations.SummaryAsync().OrThrowAsync();

    /// <summary>The four figures of GET /api/stats, or null while it answers with an error.</summary>
    public async Task<DashboardCounts?> TryGetStatsAsync() => (await new StatsClient(Http).GetAsync()).Value is { } stats
        ? new DashboardCounts
        {
            TotalConversations = stats.TotalConversations,
            UnreadMessages = stats.UnreadMessages,
            UniquePatients = stats.UniquePatients,
            TotalMessages = stats.TotalMessages,
        }
        : null;

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        _browser.Dispose();
    }
}
