using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using CareMessaging.Contracts;

namespace CareMessaging.EndToEndTests.Identity;

[Collection(StackCollection.Name)]
public sealed class SessionTests(CareMessagingStack stack)
{
    private const string WindowsChrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
    private const string LinuxFirefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    [Fact]
    public async Task A_user_lists_their_sessions_and_revoking_one_ends_it_on_the_next_request()
    {
        var user = DemoUsers.InRole(Roles.Clinician)[2];
        using var desk = await SignedInAsync(user, WindowsChrome);
        using var laptop = await SignedInAsync(user, LinuxFirefox);
        var laptopSession = (await laptop.GetSessionAsync())!.Value.GetProperty("sessionId").GetString()!;

        var sessions = await desk.Client.GetFromJsonAsync<JsonElement[]>("/api/sessions");
        var listed = sessions!.Single(s => s.GetProperty("sessionId").GetString() == laptopSession);
        Assert.Equal("Firefox on Linux", listed.GetProperty("device").GetString());
        Assert.False(listed.GetProperty("current").GetBoolean());
        Assert.Contains(sessions!, s => s.GetProperty("current").GetBoolean() && s.GetProperty("device").GetString() == "Chrome on Windows");
        Assert.False(string.IsNullOrEmpty(listed.GetProperty("ipAddress").GetString()));

        using var revoke = await desk.Client.DeleteAsync($"/api/sessions/{laptopSession}");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Null(await laptop.GetSessionAsync());
        Assert.NotNull(await desk.GetSessionAsync());
    }

    [Fact]
    public async Task A_user_cannot_revoke_someone_elses_session()
    {
        using var owner = await SignedInAsync(DemoUsers.Patients[3], LinuxFirefox);
        using var other = await SignedInAsync(DemoUsers.Patients[4], LinuxFirefox);
        var ownerSession = (await owner.GetSessionAsync())!.Value.GetProperty("sessionId").GetString()!;

        using var revoke = await other.Client.DeleteAsync($"/api/sessions/{ownerSession}");

        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.NotNull(await owner.GetSessionAsync());
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_every_session_of_the_user()
    {
        var user = DemoUsers.Patients[5];
        using var first = await SignedInAsync(user, WindowsChrome);
        using var second = await SignedInAsync(user, LinuxFirefox);

        using var response = await first.Client.DeleteAsync("/api/sessions");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(await first.GetSessionAsync());
        Assert.Null(await second.GetSessionAsync());
    }

    [Fact]
    public async Task An_administrator_revokes_every_session_of_a_user_and_others_may_not()
    {
        var leaver = DemoUsers.Patients[6];
        using var device = await SignedInAsync(leaver, WindowsChrome);
        using var admin = await SignedInAsync(DemoUsers.Admin, WindowsChrome);
        using var colleague = await SignedInAsync(DemoUsers.ComplianceOfficer, WindowsChrome);
        await using var events = await IdentityEventProbe.StartAsync(stack);

        using var refused = await colleague.Client.DeleteAsync($"/api/admin/users/{leaver.UserId}/sessions");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.NotNull(await device.GetSessionAsync());

        var listed = await admin.Client.GetFromJsonAsync<JsonElement[]>($"/api/admin/users/{leaver.UserId}/sessions");
        using var revoked = await admin.Client.DeleteAsync($"/api/admin/users/{leaver.UserId}/sessions");

        Assert.NotEmpty(listed!);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.True((await revoked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revoked").GetInt32() >= 1);
        Assert.Null(await device.GetSessionAsync());
        var revocation = await events.WaitForAsync("SessionRevoked", leaver.UserId);
        Assert.Equal(DemoUsers.Admin.UserId, revocation.GetProperty("revokedBy").GetString());
    }

    [Fact]
    public async Task State_changing_requests_without_the_anti_forgery_header_are_refused()
    {
        using var browser = await SignedInAsync(DemoUsers.Patients[7], WindowsChrome);
        var sessionId = (await browser.GetSessionAsync())!.Value.GetProperty("sessionId").GetString()!;
        using var raw = new HttpClient(new HttpClientHandler { CookieContainer = browser.Cookies }) { BaseAddress = browser.Client.BaseAddress };

        using var missing = await raw.DeleteAsync($"/api/sessions/{sessionId}");
        using var forged = new HttpRequestMessage(HttpMethod.Delete, $"/api/sessions/{sessionId}");
        forged.Headers.Add("X-CSRF-TOKEN", "forged-token");
        using var forgedResponse = await raw.SendAsync(forged);
        using var post = await raw.PostAsJsonAsync("/api/conversations", new { topic = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var problem = await missing.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("X-CSRF-TOKEN", out _));
        Assert.Equal(HttpStatusCode.BadRequest, forgedResponse.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.NotNull(await browser.GetSessionAsync());
    }

    [Fact]
    public async Task The_hub_websocket_upgrade_carries_the_session_token_and_never_the_browsers_header()
    {
        using var browser = await SignedInAsync(DemoUsers.Patients[8], WindowsChrome);
        var hub = new UriBuilder(browser.Client.BaseAddress!) { Scheme = "ws", Path = "/hubs/probe" }.Uri;

        // Signed in, with a forged Authorization header: the gateway relays the session's token
        // instead, so the notification service accepts the caller and answers that no hub is there.
        var signedIn = await UpgradeAsync(hub, browser.Cookies, authorization: "Bearer forged", origin: null);
        var anonymous = await UpgradeAsync(hub, new CookieContainer(), authorization: null, origin: null);
        var crossSite = await UpgradeAsync(hub, browser.Cookies, authorization: null, origin: "https://attacker.example");

        Assert.Equal(HttpStatusCode.NotFound, signedIn);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Assert.Equal(HttpStatusCode.Forbidden, crossSite);
    }

    private async Task<GatewayBrowser> SignedInAsync(DemoUser user, string userAgent)
    {
        var browser = GatewayBrowser.For(stack, userAgent);
        await browser.SignInAsync(user.UserName, DemoUsers.Password);
        return browser;
    }

    private static async Task<HttpStatusCode> UpgradeAsync(Uri address, CookieContainer cookies, string? authorization, string? origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.Cookies = new CookieContainer();
        foreach (Cookie cookie in cookies.GetCookies(new UriBuilder(address) { Scheme = "http" }.Uri))
        {
            socket.Options.Cookies.Add(new UriBuilder(address) { Scheme = "http" }.Uri, cookie);
        }

        if (authorization is not null)
        {
            socket.Options.SetRequestHeader("Authorization", authorization);
        }

        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        using var cancellation = new CancellationTokenSource(TestTimeouts.Request);
        try
        {
            await socket.ConnectAsync(address, cancellation.Token);
            return HttpStatusCode.SwitchingProtocols;
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
    }
}
