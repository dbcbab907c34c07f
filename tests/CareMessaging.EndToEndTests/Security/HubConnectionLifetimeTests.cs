using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Notifications;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace CareMessaging.EndToEndTests.Security;

/// <summary>
/// A live connection to the notification hub lasts no longer than what allowed it: the session
/// that opened it through the gateway, and the access token it was opened with.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class HubConnectionLifetimeTests(CareMessagingStack stack)
{
    [Fact]
    public async Task A_hub_connection_closes_when_its_session_is_revoked_from_another_device()
    {
        var user = DemoUsers.Patients[17];
        using var desk = GatewayBrowser.For(stack);
        await desk.SignInAsync(user.UserName, DemoUsers.Password);
        using var laptop = GatewayBrowser.For(stack);
        await laptop.SignInAsync(user.UserName, DemoUsers.Password);
        var laptopSession = (await laptop.GetSessionAsync())!.Value.GetProperty("sessionId").GetString()!;
        await desk.GetSessionAsync();
        await using var hub = await ConnectThroughGatewayAsync(laptop);
        var closed = ClosedAsync(hub);

        using var revoked = await desk.Client.DeleteAsync($"/api/sessions/{laptopSession}");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        await closed.WaitAsync(TestTimeouts.EventDelivery);
        Assert.Equal(HubConnectionState.Disconnected, hub.State);
    }

    [Fact]
    public async Task A_hub_connection_closes_when_the_user_signs_out()
    {
        var user = DemoUsers.Patients[18];
        using var browser = GatewayBrowser.For(stack);
        await browser.SignInAsync(user.UserName, DemoUsers.Password);
        await browser.GetSessionAsync();
        await using var hub = await ConnectThroughGatewayAsync(browser);
        var closed = ClosedAsync(hub);

        using var signOut = await browser.SignOutAsync();

        await closed.WaitAsync(TestTimeouts.EventDelivery);
        Assert.Equal(HubConnectionState.Disconnected, hub.State);
    }

    [Fact]
    public async Task A_hub_connection_closes_when_its_access_token_expires()
    {
        var user = DemoUsers.Patients[19];
        var token = stack.IdentityTokens(ResourceNames.Notification).For(user, lifetime: TimeSpan.FromSeconds(20));
        var notification = stack.App.GetEndpoint(ResourceNames.Notification, "http");
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(notification, NotificationPushes.HubPath), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        var closed = ClosedAsync(hub);
        using (var starting = new CancellationTokenSource(TestTimeouts.Request))
        {
            await hub.StartAsync(starting.Token);
        }

        await closed.WaitAsync(TestTimeouts.EventDelivery + TimeSpan.FromSeconds(20));
        Assert.Equal(HubConnectionState.Disconnected, hub.State);
    }

    /// <summary>A hub connection made the way the web front end makes it: the session cookie and the anti-forgery token, over a WebSocket.</summary>
    private static async Task<HubConnection> ConnectThroughGatewayAsync(GatewayBrowser browser)
    {
        var session = (await browser.Client.GetFromJsonAsync<JsonElement>("/api/session")).GetProperty("csrfToken").GetString()!;
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(browser.Client.BaseAddress!, NotificationPushes.HubPath), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.Cookies = browser.Cookies;
                options.Headers["X-CSRF-TOKEN"] = session;
            })
            .Build();
        using var starting = new CancellationTokenSource(TestTimeouts.Request);
        await hub.StartAsync(starting.Token);
        return hub;
    }

    private static Task ClosedAsync(HubConnection hub)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }
}
