using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CareMessaging.EndToEndTests.Identity;

/// <summary>Idle and absolute session timeouts, with the gateway's clock moved by the test.</summary>
[Collection(StackCollection.Name)]
public sealed class SessionTimeoutTests(CareMessagingStack stack)
{
    [Fact]
    public async Task A_session_idle_for_more_than_15_minutes_ends_and_activity_keeps_it_alive()
    {
        await using var gateway = await GatewayHost.StartAsync(stack);
        using var browser = gateway.CreateBrowser();
        await browser.SignInAsync(DemoUsers.Patients[9].UserName, DemoUsers.Password);

        gateway.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.NotNull(await browser.GetSessionAsync());
        // The access token has expired by this clock, so the relay refreshes it with the identity provider.
        using var relayed = await browser.Client.GetAsync("/identity/api/account");
        Assert.Equal(HttpStatusCode.OK, relayed.StatusCode);
        gateway.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.NotNull(await browser.GetSessionAsync());

        gateway.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        Assert.Null(await browser.GetSessionAsync());
        using var api = await browser.Client.GetAsync("/identity/api/account");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task An_open_page_refreshing_itself_after_pushes_does_not_keep_an_idle_session_alive()
    {
        await using var gateway = await GatewayHost.StartAsync(stack);
        using var browser = gateway.CreateBrowser();
        await browser.SignInAsync(DemoUsers.Patients[12].UserName, DemoUsers.Password);

        // For 14 minutes nobody touches the page; pushes make it fetch the list and the badge and reconnect its live connection.
        foreach (var minutes in new[] { 5, 5, 4 })
        {
            gateway.Clock.Advance(TimeSpan.FromMinutes(minutes));
            foreach (var path in new[] { "/api/conversations?filter=all", "/api/notifications/unread" })
            {
                using var refresh = new HttpRequestMessage(HttpMethod.Get, path);
                refresh.Headers.Add("X-CareMessaging-Background", "1");
                using var refreshed = await browser.Client.SendAsync(refresh);
                Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
            }

            using var negotiated = await browser.Client.PostAsync("/hubs/notifications/negotiate?negotiateVersion=1", content: null);
            Assert.Equal(HttpStatusCode.OK, negotiated.StatusCode);
        }

        gateway.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));

        Assert.Null(await browser.GetSessionAsync());
        using var afterwards = await browser.Client.GetAsync("/api/conversations?filter=all");
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
    }

    [Fact]
    public async Task A_session_ends_at_its_absolute_lifetime_however_active_it_is()
    {
        await using var gateway = await GatewayHost.StartAsync(stack, new Dictionary<string, string?> { ["Session:AbsoluteTimeout"] = "00:30:00" });
        using var browser = gateway.CreateBrowser();
        await browser.SignInAsync(DemoUsers.Patients[10].UserName, DemoUsers.Password);
        var absolute = (await browser.GetSessionAsync())!.Value.GetProperty("absoluteExpiresAt").GetDateTimeOffset();
        Assert.Equal(gateway.Clock.GetUtcNow().AddMinutes(30), absolute, TimeSpan.FromSeconds(5));

        foreach (var step in new[] { 10, 10, 9 })
        {
            gateway.Clock.Advance(TimeSpan.FromMinutes(step));
            Assert.NotNull(await browser.GetSessionAsync());
        }

        gateway.Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Null(await browser.GetSessionAsync());
    }

    [Fact]
    public async Task Sessions_are_shared_by_gateway_replicas_and_revocation_reaches_all_of_them()
    {
        await using var replica = await GatewayHost.StartAsync(stack);
        using var browser = replica.CreateBrowser();
        await browser.SignInAsync(DemoUsers.Patients[11].UserName, DemoUsers.Password);
        var sessionId = (await browser.GetSessionAsync())!.Value.GetProperty("sessionId").GetString();

        // The stack's own gateway serves the session that the replica started.
        using var other = new HttpClient(new HttpClientHandler { CookieContainer = browser.Cookies }) { BaseAddress = replica.PublicAddress };
        var seen = await other.GetFromJsonAsync<JsonElement>("/api/session");
        Assert.Equal(sessionId, seen.GetProperty("sessionId").GetString());

        using var signOut = new HttpRequestMessage(HttpMethod.Delete, "/api/sessions");
        signOut.Headers.Add("X-CSRF-TOKEN", seen.GetProperty("csrfToken").GetString());
        using var ended = await other.SendAsync(signOut);
        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);

        Assert.Null(await browser.GetSessionAsync());
    }
}
