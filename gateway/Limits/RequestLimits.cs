using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using CareMessaging.Contracts;
using Microsoft.Extensions.Options;

namespace CareMessaging.Gateway.Limits;

/// <summary>
/// Back-pressure at the one public entry (docs/decisions/0051-gateway-sheds-load-and-limits-each-user.md).
/// Load shedding runs first, before a session is read: at most
/// <see cref="RequestLimitSettings.MaxConcurrentRequests"/> requests are forwarded at once, a few
/// more wait briefly, and the rest are refused at once with 503 and Retry-After, so queues never
/// grow until clients give up. Per-user limits run once the session is known: a token bucket per
/// user for writes and another for reads, answering 429 with Retry-After. Hub connections
/// (long-lived WebSockets) and health probes are not counted.
/// </summary>
public sealed class RequestLimits : IAsyncDisposable
{
    private readonly RequestLimitSettings _settings;
    private readonly ConcurrencyLimiter _inFlight;
    private readonly PartitionedRateLimiter<string> _writes;
    private readonly PartitionedRateLimiter<string> _reads;

    public RequestLimits(IOptions<RequestLimitSettings> options)
    {
        _settings = options.Value;
        _inFlight = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _settings.MaxConcurrentRequests,
            QueueLimit = _settings.MaxQueuedRequests,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _writes = PerUser(_settings.UserWritesPerSecond, _settings.UserWriteBurst);
        _reads = PerUser(_settings.UserReadsPerSecond, _settings.UserReadBurst);
    }

    /// <summary>Sheds what the gateway cannot take on now with 503 and Retry-After.</summary>
    public async Task ShedAsync(HttpContext context, RequestDelegate next)
    {
        if (!Counted(context.Request))
        {
            await next(context);
            return;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        wait.CancelAfter(_settings.MaxQueueWait);
        RateLimitLease lease;
        try
        {
            lease = await _inFlight.AcquireAsync(1, wait.Token);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            lease = FailedLease.Instance;
        }

        using (lease)
        {
            if (!lease.IsAcquired)
            {
                await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, TimeSpan.FromSeconds(_settings.BusyRetryAfterSeconds),
                    "Busy", "The service is busy right now. Try again in a moment.");
                return;
            }

            await next(context);
        }
    }

    /// <summary>Answers 429 with Retry-After when a signed-in user goes over their rate.</summary>
    public async Task LimitUserAsync(HttpContext context, RequestDelegate next)
    {
        if (!Counted(context.Request) || context.User.FindFirstValue(CareMessagingClaims.Subject) is not { } userId)
        {
            await next(context);
            return;
        }

        var write = !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method));
        using var lease = (write ? _writes : _reads).AttemptAcquire(userId);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
            await RefuseAsync(context, StatusCodes.Status429TooManyRequests, retryAfter, "Too many requests",
                write
                    ? "You are sending changes faster than the service allows for one person. Wait a moment, then try again."
                    : "You are making requests faster than the service allows for one person. Wait a moment, then try again.");
            return;
        }

        await next(context);
    }

    public async ValueTask DisposeAsync()
    {
        await _inFlight.DisposeAsync();
        await _writes.DisposeAsync();
        await _reads.DisposeAsync();
    }

    private static bool Counted(HttpRequest request) =>
        !request.Path.StartsWithSegments("/hubs")
        && !request.Path.StartsWithSegments(Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath)
        && !request.Path.StartsWithSegments(Microsoft.Extensions.Hosting.Extensions.AlivenessEndpointPath);

    private static PartitionedRateLimiter<string> PerUser(int perSecond, int burst) =>
        PartitionedRateLimiter.Create<string, string>(userId => RateLimitPartition.GetTokenBucketLimiter(userId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    private static Task RefuseAsync(HttpContext context, int status, TimeSpan retryAfter, string title, string detail)
    {
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
    }

    private sealed class FailedLease : RateLimitLease
    {
        public static readonly FailedLease Instance = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}

/// <summary>Registers and places the gateway's request limits.</summary>
public static class RequestLimitsRegistration
{
    public static void AddRequestLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RequestLimitSettings>().Bind(builder.Configuration.GetSection(RequestLimitSettings.SectionName))
            .Validate(settings => settings.Problem() is null, "Gateway:RateLimits is not usable; see RequestLimitSettings for each value's range.")
            .ValidateOnStart();
        builder.Services.AddSingleton<RequestLimits>();
    }

    /// <summary>Load shedding: before the session is read, so a refusal costs next to nothing.</summary>
    public static void UseLoadShedding(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<RequestLimits>();
        app.Use(next => context => limits.ShedAsync(context, next));
    }

    /// <summary>Per-user limits: after authentication, which names the user.</summary>
    public static void UseUserRateLimits(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<RequestLimits>();
        app.Use(next => context => limits.LimitUserAsync(context, next));
    }
}
