using System.Threading.RateLimiting;

namespace CareMessaging.Identity.Accounts;

/// <summary>
/// Limits on sign-in attempts on top of account lockout: per client address (credential
/// stuffing across many accounts) and per user name (one account from many addresses), and on
/// the token endpoint per client address. Section <c>Identity:RateLimits</c>.
/// </summary>
public sealed class SignInRateLimitSettings
{
    public int AttemptsPerMinutePerAddress { get; set; } = 100;

    public int AttemptsPerMinutePerUserName { get; set; } = 20;

    /// <summary>Token requests from one address that name no registered client.</summary>
    public int TokenRequestsPerMinutePerAddress { get; set; } = 1200;

    /// <summary>Token requests of one registered client (the gateway refreshes every user's token).</summary>
    public int TokenRequestsPerMinutePerClient { get; set; } = 20_000;

    /// <summary>Refreshes of one user's tokens by one client; a session refreshes every few minutes.</summary>
    public int RefreshesPerMinutePerUser { get; set; } = 30;
}

/// <summary>Hands out sign-in attempts; an attempt refused here never reaches the password check.</summary>
public sealed class SignInRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _byAddress;
    private readonly PartitionedRateLimiter<string> _byUserName;
    private readonly PartitionedRateLimiter<string> _refreshes;

    public SignInRateLimits(SignInRateLimitSettings settings)
    {
        _byAddress = Window(settings.AttemptsPerMinutePerAddress);
        _byUserName = Window(settings.AttemptsPerMinutePerUserName);
        _refreshes = Window(settings.RefreshesPerMinutePerUser);
    }

    /// <summary>One refresh of <paramref name="userId"/>'s tokens by <paramref name="clientId"/>.</summary>
    public bool TryRefresh(string clientId, string userId)
    {
        using var lease = _refreshes.AttemptAcquire(clientId + ":" + userId);
        return lease.IsAcquired;
    }

    public bool TryAcquire(string? clientAddress, string userName)
    {
        using var address = _byAddress.AttemptAcquire(clientAddress ?? "unknown");
        if (!address.IsAcquired)
        {
            return false;
        }

        using var name = _byUserName.AttemptAcquire(userName.Trim().ToUpperInvariant());
        return name.IsAcquired;
    }

    public static PartitionedRateLimiter<string> Window(int permitsPerMinute) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ =>
            new SlidingWindowRateLimiterOptions
            {
                PermitLimit = permitsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                SegmentsPerWindow = 6,
                QueueLimit = 0,
            }));

    public void Dispose()
    {
        _byAddress.Dispose();
        _byUserName.Dispose();
        _refreshes.Dispose();
    }
}
