using System.Net;
using CareMessaging.Contracts.Notifications;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace CareMessaging.Testing;

/// <summary>
/// A WebSocket connection to the notification hub with its pushes recorded: through a gateway
/// with a browser's cookies, or straight to one Notification replica with a bearer token.
/// </summary>
public sealed class NotificationHubConnection : IAsyncDisposable
{
    private readonly HubConnection _hub;

    private NotificationHubConnection(HubConnection hub, NotificationPushRecorder pushes) => (_hub, Pushes) = (hub, pushes);

    public NotificationPushRecorder Pushes { get; }

    /// <param name="server">The gateway or the replica; the hub's path is added.</param>
    /// <param name="cookies">A signed-in browser's cookies, sent to <paramref name="server"/>.</param>
    /// <param name="bearerToken">An access token, for a connection straight to a replica.</param>
    /// <param name="configure">Anything else, e.g. which TLS certificate to trust.</param>
    public static async Task<NotificationHubConnection> ConnectAsync(Uri server, CookieContainer? cookies = null, string? bearerToken = null, Action<HttpConnectionOptions>? configure = null)
    {
        var address = new Uri(server, NotificationPushes.HubPath);
        var sent = new CookieContainer();
        foreach (Cookie cookie in cookies?.GetAllCookies() ?? [])
        {
            sent.Add(address, new Cookie(cookie.Name, cookie.Value, "/") { Secure = cookie.Secure });
        }

        var hub = new HubConnectionBuilder()
            .WithUrl(address, options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.Cookies = sent;
                if (bearerToken is not null)
                {
                    options.Headers["Authorization"] = $"Bearer {bearerToken}";
                }

                configure?.Invoke(options);
            })
            .Build();
        var pushes = NotificationPushRecorder.Attach(hub);
        using var cancellation = new CancellationTokenSource(TestTimeouts.Request);
        await hub.StartAsync(cancellation.Token);
        return new NotificationHubConnection(hub, pushes);
    }

    public ValueTask DisposeAsync() => _hub.DisposeAsync();
}
