using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using CareMessaging.Clients;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Contracts.Notifications;
using CareMessaging.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace CareMessaging.LoadBench;

/// <summary>
/// A member of staff signed in through the gateway as a browser is (session cookie, anti-forgery
/// header), with the conversations they send to and a hub connection that notes when each
/// messageArrived push reaches them.
/// </summary>
internal sealed class Sender : IAsyncDisposable
{
    private readonly GatewayBrowser _browser;
    private HubConnection? _hub;

    private Sender(DemoUser user, GatewayBrowser browser)
    {
        (User, _browser) = (user, browser);
        Conversations = new ConversationsClient(browser.Client);
    }

    public DemoUser User { get; }

    public HttpClient Http => _browser.Client;

    public ConversationsClient Conversations { get; }

    public List<Guid> OwnConversations { get; } = [];

    public static async Task<Sender> SignInAsync(Uri gateway, DemoUser user)
    {
        var browser = new GatewayBrowser(gateway, new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        }, "CareMessagingLoadBench/1.0");
        browser.Client.Timeout = Timeout.InfiniteTimeSpan;
        await browser.SignInAsync(user.UserName, DemoUsers.Password);
        return new Sender(user, browser);
    }

    /// <summary>Connects to the notification hub through the gateway; every arrival is noted in <paramref name="arrivals"/>.</summary>
    public async Task ConnectAsync(ConcurrentDictionary<Guid, ConcurrentQueue<(string UserId, long At)>> arrivals)
    {
        _hub = _browser.NotificationHub();
        _hub.On<MessageArrived>(NotificationPushes.MessageArrivedMethod, arrived =>
            arrivals.GetOrAdd(arrived.MessageId, _ => new()).Enqueue((User.UserId, Stopwatch.GetTimestamp())));
        using var cancellation = new CancellationTokenSource(TestTimeouts.Request);
        await _hub.StartAsync(cancellation.Token);
    }

    /// <summary>Starts <paramref name="count"/> conversations with patients of the sender's teams.</summary>
    public async Task StartConversationsAsync(int count)
    {
        var patients = User.CareTeams.SelectMany(DemoUsers.PatientsOf).DistinctBy(p => p.PatientId).ToList();
        for (var i = 0; i < count; i++)
        {
            var patient = patients[i % patients.Count];
            var thread = await Conversations.StartAsync(new StartConversationRequest(patient.PatientId!, $"Load run {i + 1}", "First message of the load run.", Guid.NewGuid().ToString()))
                .OrThrowAsync();
            OwnConversations.Add(thread.Id);
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
