namespace CareMessaging.Gateway.Limits;

/// <summary>
/// How much the gateway takes on (section <c>Gateway:RateLimits</c>): requests in flight at once
/// and waiting for a place, before it sheds load with 503; and each signed-in user's requests per
/// second, writes tighter than reads, before it answers 429. Both name a Retry-After.
/// </summary>
public sealed class RequestLimitSettings
{
    public const string SectionName = "Gateway:RateLimits";

    /// <summary>Requests the gateway forwards at once; more wait in the queue.</summary>
    public int MaxConcurrentRequests { get; set; } = 64;

    /// <summary>Requests that may wait for a place; past this a request is refused at once.</summary>
    public int MaxQueuedRequests { get; set; } = 256;

    /// <summary>How long a request may wait for a place before it is refused; short, so refusals are quick and accepted requests stay fast.</summary>
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The Retry-After of a shed request, in seconds.</summary>
    public int BusyRetryAfterSeconds { get; set; } = 1;

    /// <summary>Writes (POST, PUT, PATCH, DELETE) per second one user may keep up.</summary>
    public int UserWritesPerSecond { get; set; } = 10;

    /// <summary>Writes one user may make in a burst above the sustained rate.</summary>
    public int UserWriteBurst { get; set; } = 120;

    /// <summary>Reads per second one user may keep up.</summary>
    public int UserReadsPerSecond { get; set; } = 50;

    /// <summary>Reads one user may make in a burst above the sustained rate.</summary>
    public int UserReadBurst { get; set; } = 500;

    /// <summary>What is wrong with these settings, or null when they are usable.</summary>
    public string? Problem() =>
        MaxConcurrentRequests <= 0 || MaxQueuedRequests < 0 || MaxQueueWait < TimeSpan.Zero || BusyRetryAfterSeconds <= 0
            ? "Gateway:RateLimits:MaxConcurrentRequests and BusyRetryAfterSeconds must be positive, MaxQueuedRequests and MaxQueueWait zero or more."
            : UserWritesPerSecond <= 0 || UserWriteBurst <= 0 || UserReadsPerSecond <= 0 || UserReadBurst <= 0
                ? "Gateway:RateLimits:UserWritesPerSecond, UserWriteBurst, UserReadsPerSecond and UserReadBurst must be positive."
                : null;
}
