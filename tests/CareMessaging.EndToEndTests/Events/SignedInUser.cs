using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Contracts.Notifications;
using CareMessaging.Testing;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace CareMessaging.EndToEndTests.Events;

/// <summary>
/// A demo user signed in through the gateway (session cookie, anti-forgery header), calling the
/// public APIs and, once connected, receiving the notification hub's pushes over the gateway's
/// WebSocket, on which the gateway relays the session's access token.
/// </summary>
public sealed class SignedInUser : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly GatewayBrowser _browser;
    private readonly Channel<(UnreadChanged Push, long At)> _unread = Channel.CreateUnbounded<(UnreadChanged, long)>();
    private readonly Channel<(MessageArrived Push, long At)> _arrived = Channel.CreateUnbounded<(MessageArrived, long)>();
    private HubConnection? _hub;

    private SignedInUser(DemoUser user, GatewayBrowser browser) => (User, _browser) = (user, browser);

    public DemoUser User { get; }

    public HttpClient Http => _browser.Client;

    public static async Task<SignedInUser> SignInAsync(CareMessagingStack stack, DemoUser user)
    {
        var browser = GatewayBrowser.For(stack);
        await browser.SignInAsync(user.UserName, DemoUsers.Password);
        return new SignedInUser(user, browser);
    }

    /// <summary>Connects to /hubs/notifications through the gateway with this browser's session cookie only.</summary>
    public async Task ConnectToHubAsync()
    {
        var address = new Uri(Http.BaseAddress!, NotificationPushes.HubPath);
        var cookies = new CookieContainer();
        foreach (Cookie cookie in _browser.Cookies.GetCookies(address))
        {
            cookies.Add(address, new Cookie(cookie.Name, cookie.Value, "/"));
        }

        _hub = new HubConnectionBuilder()
            .WithUrl(address, options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.Cookies = cookies;
            })
            .Build();
        _hub.On<UnreadChanged>(NotificationPushes.UnreadChangedMethod, push => _unread.Writer.TryWrite((push, Stopwatch.GetTimestamp())));
        _hub.On<MessageArrived>(NotificationPushes.MessageArrivedMethod, push => _arrived.Writer.TryWrite((push, Stopwatch.GetTimestamp())));
        using var cancellation = new CancellationTokenSource(TestTimeouts.Request);
        await _hub.StartAsync(cancellation.Token);
    }

    /// <summary>The next unreadChanged push for the conversation, and when it arrived (a Stopwatch timestamp).</summary>
    public Task<(UnreadChanged Push, long At)> NextUnreadAsync(Guid conversationId) => NextAsync(_unread, p => p.ConversationId == conversationId);

    public Task<(MessageArrived Push, long At)> NextArrivalAsync(Guid messageId) => NextAsync(_arrived, p => p.MessageId == messageId);

    public async Task<JsonElement> StartConversationAsync(string patientId, string topic, string body) =>
        await ReadAsync(await Http.PostAsJsonAsync("/api/conversations", new { patientId, topic, body, clientMessageId = Guid.NewGuid().ToString() }));

    public async Task<JsonElement> SendAsync(Guid conversationId, string body) =>
        await ReadAsync(await Http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { body, clientMessageId = Guid.NewGuid().ToString() }));

    /// <summary>Opens the thread (an access event) and returns it.</summary>
    public async Task<JsonElement> ViewAsync(Guid conversationId) => await ReadAsync(await Http.GetAsync($"/api/conversations/{conversationId}"));

    /// <summary>Opens the thread and marks everything in it read.</summary>
    public async Task ReadAllAsync(Guid conversationId)
    {
        var thread = await ViewAsync(conversationId);
        var latest = thread.GetProperty("messages").GetProperty("items").EnumerateArray().MaxBy(m => m.GetProperty("sequence").GetInt64());
        await ReadAsync(await Http.PostAsJsonAsync($"/api/conversations/{conversationId}/read", new { upToMessageId = latest.GetProperty("id").GetString() }));
    }

    public async Task ChangeStatusAsync(Guid conversationId, string action) =>
        await ReadAsync(await Http.PostAsync($"/api/conversations/{conversationId}/{action}", null));

    public async Task<UnreadSummary?> TryGetUnreadAsync()
    {
        using var response = await Http.GetAsync("/api/notifications/unread");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<UnreadSummary>(Json) : null;
    }

    public async Task<DashboardCounts> GetSummaryAsync() =>
        (await Http.GetFromJsonAsync<DashboardCounts>("/api/conversations/summary", Json))!;

    /// <summary>The four figures of GET /api/stats, or null while it answers with an error.</summary>
    public async Task<DashboardCounts?> TryGetStatsAsync()
    {
        using var response = await Http.GetAsync("/api/stats");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<DashboardCounts>(Json) : null;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            return response.Content.Headers.ContentLength == 0 ? default : await response.Content.ReadFromJsonAsync<JsonElement>(Json);
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

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        _browser.Dispose();
    }
}

/// <summary>Polls until a condition holds or the event-delivery deadline passes; returns the last value either way.</summary>
internal static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TestTimeouts.EventDelivery);
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            value = await read();
        }

        return value;
    }
}
