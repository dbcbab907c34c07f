extern alias gateway;

using System.Security.Claims;
using gateway::CareMessaging.Gateway.Limits;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CareMessaging.UnitTests.Gateway;

public sealed class RequestLimitsTests
{
    private static readonly IServiceProvider Services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();

    [Fact]
    public async Task A_user_past_their_write_burst_gets_429_with_Retry_After_while_their_reads_and_other_users_still_pass()
    {
        await using var limits = Limits(new RequestLimitSettings { UserWriteBurst = 3, UserWritesPerSecond = 1 });

        var writes = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            writes.Add((await LimitUserAsync(limits, Request("POST", "/api/conversations", "patient-1"))).Response.StatusCode);
        }

        Assert.Equal([200, 200, 200, 429], writes);
        var refused = await LimitUserAsync(limits, Request("POST", "/api/conversations", "patient-1"));
        Assert.Equal(429, refused.Response.StatusCode);
        Assert.True(int.Parse(refused.Response.Headers.RetryAfter.ToString()) >= 1);
        Assert.Equal(200, (await LimitUserAsync(limits, Request("GET", "/api/conversations", "patient-1"))).Response.StatusCode);
        Assert.Equal(200, (await LimitUserAsync(limits, Request("POST", "/api/conversations", "patient-2"))).Response.StatusCode);
    }

    [Fact]
    public async Task Requests_past_the_gateways_capacity_are_refused_at_once_with_503_and_Retry_After()
    {
        await using var limits = Limits(new RequestLimitSettings { MaxConcurrentRequests = 1, MaxQueuedRequests = 0, BusyRetryAfterSeconds = 2 });
        var release = new TaskCompletionSource();
        var first = limits.ShedAsync(Request("GET", "/api/conversations", "clinician-1"), _ => release.Task);

        var second = Request("GET", "/api/conversations", "clinician-2");
        await limits.ShedAsync(second, _ => Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(503, second.Response.StatusCode);
        Assert.Equal("2", second.Response.Headers.RetryAfter.ToString());
        release.SetResult();
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        var third = Request("GET", "/api/conversations", "clinician-2");
        await limits.ShedAsync(third, _ => Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(200, third.Response.StatusCode);
    }

    [Fact]
    public async Task Hub_connections_and_health_probes_are_never_shed()
    {
        await using var limits = Limits(new RequestLimitSettings { MaxConcurrentRequests = 1, MaxQueuedRequests = 0 });
        var release = new TaskCompletionSource();
        var busy = limits.ShedAsync(Request("GET", "/api/conversations", "clinician-1"), _ => release.Task);

        foreach (var path in new[] { "/hubs/notifications", "/health", "/alive" })
        {
            var request = Request("GET", path, "clinician-2");
            await limits.ShedAsync(request, _ => Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(200, request.Response.StatusCode);
        }

        release.SetResult();
        await busy.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static RequestLimits Limits(RequestLimitSettings settings) => new(Options.Create(settings));

    private static async Task<HttpContext> LimitUserAsync(RequestLimits limits, HttpContext context)
    {
        await limits.LimitUserAsync(context, _ => Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(10));
        return context;
    }

    private static DefaultHttpContext Request(string method, string path, string userId)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = method;
        context.Request.Path = path;
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", userId)], "test"));
        context.Response.Body = new MemoryStream();
        return context;
    }
}
