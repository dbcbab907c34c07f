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

    public int TokenRequestsPerMinutePerAddress { get; set; } = 1200;
}

/// <summary>Hands out sign-in attempts; an attempt refused here never reaches the password check.</summary>
public sealed class SignInRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _byAddress;
    private readonly PartitionedRateLimiter<string> _byUserName;

    public SignInRateLimits(SignInRateLimitSettings settings)
    {
        _byAddress = Window(settings.AttemptsPerMinutePerAddress);
        _byUserName = Window(settings.AttemptsPerMinutePerUserName);
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
    }
}
