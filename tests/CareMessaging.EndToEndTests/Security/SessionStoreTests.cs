using System.Net;
using System.Net.Sockets;
using Aspire.Hosting.Testing;
using CareMessaging.Contracts;
using CareMessaging.EndToEndTests.Identity;
using StackExchange.Redis;

namespace CareMessaging.EndToEndTests.Security;

/// <summary>
/// Sessions live in a store of their own and the keys that protect them come from the secret
/// store, so flushing the cache signs nobody out and a restarted gateway reads every session; a
/// session store that does not answer costs a bounded wait and a 503, never the gateway's threads
/// (ADR 0027).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SessionStoreTests(CareMessagingStack stack)
{
    [Fact]
    public async Task A_cache_flush_keeps_every_session_and_a_restarted_gateway_still_reads_them()
    {
        using var browser = GatewayBrowser.For(stack);
        await browser.SignInAsync(DemoUsers.Patients[27].UserName, DemoUsers.Password);
        var sessionId = (await browser.GetSessionAsync())!.Value.GetProperty("sessionId").GetString();

        await FlushCacheAsync();
        var afterFlush = await browser.GetSessionAsync();
        await using var restarted = await GatewayHost.StartAsync(stack);
        using var sameBrowserNextDay = restarted.CreateBrowser();
        CopyCookies(browser, sameBrowserNextDay);
        var afterRestart = await sameBrowserNextDay.GetSessionAsync();

        Assert.Equal(sessionId, afterFlush?.GetProperty("sessionId").GetString());
        Assert.Equal(sessionId, afterRestart?.GetProperty("sessionId").GetString());
    }

    [Fact]
    public async Task The_gateways_data_protection_keys_are_never_kept_in_redis()
    {
        using var browser = GatewayBrowser.For(stack);
        await browser.SignInAsync(DemoUsers.Patients[28].UserName, DemoUsers.Password);

        foreach (var store in await RedisStoresAsync())
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(store);
            var server = redis.GetServers()[0];
            var keys = new List<string>();
            await foreach (var key in server.KeysAsync(pattern: "*"))
            {
                keys.Add(key.ToString());
            }

            Assert.DoesNotContain(keys, key => key.Contains("data-protection", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task A_gateway_whose_session_store_does_not_answer_starts_and_answers_503_without_starving()
    {
        using var signedIn = GatewayBrowser.For(stack);
        await signedIn.SignInAsync(DemoUsers.Patients[29].UserName, DemoUsers.Password);
        using var silent = SilentServer.Start();
        var address = $"127.0.0.1:{silent.Port},connectTimeout=1000";
        await using var gateway = await GatewayHost.StartAsync(stack, new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ResourceNames.Redis}"] = address,
            [$"ConnectionStrings:{ResourceNames.Sessions}"] = address,
        });
        using var browser = gateway.CreateBrowser();
        CopyCookies(signedIn, browser);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var response = await browser.Client.GetAsync("/api/session");
            return (response.StatusCode, RetryAfter: response.Headers.RetryAfter);
        }));
        // The orchestrator's liveness probe carries no session cookie, so it never waits on the store.
        using var probe = gateway.CreateBrowser();
        using var alive = await probe.Client.GetAsync("/alive");

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode));
        Assert.All(answers, answer => Assert.NotNull(answer.RetryAfter));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    private async Task FlushCacheAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await stack.GetConnectionStringAsync(ResourceNames.Redis) + ",allowAdmin=true");
        await redis.GetServers()[0].FlushAllDatabasesAsync();
        // The unread counters are rebuilt from the conversations (ADR 0036); later tests need them back.
        using var notification = stack.App.CreateHttpClient(ResourceNames.Notification, "http");
        await Eventually.Until(
            async () =>
            {
                using var health = await notification.GetAsync("/health");
                return health.IsSuccessStatusCode;
            },
            healthy => healthy,
            TestTimeouts.ResourceStart);
    }

    private async Task<List<string>> RedisStoresAsync()
    {
        return [await stack.GetConnectionStringAsync(ResourceNames.Redis), await stack.GetConnectionStringAsync(ResourceNames.Sessions)];
    }

    private static void CopyCookies(GatewayBrowser from, GatewayBrowser to)
    {
        foreach (System.Net.Cookie cookie in from.Cookies.GetAllCookies())
        {
            to.Cookies.Add(cookie);
        }
    }

    /// <summary>Accepts connections and never answers, like a store that hangs.</summary>
    private sealed class SilentServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly List<TcpClient> _accepted = [];
        private readonly CancellationTokenSource _stop = new();

        private SilentServer(TcpListener listener) => _listener = listener;

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public static SilentServer Start()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var server = new SilentServer(listener);
            _ = server.AcceptAsync();
            return server;
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    lock (_accepted)
                    {
                        _accepted.Add(client);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_accepted)
            {
                _accepted.ForEach(client => client.Dispose());
            }

            _stop.Dispose();
        }
    }
}
