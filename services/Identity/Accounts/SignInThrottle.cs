using System.Security.Cryptography;
using System.Text;
using CareMessaging.Contracts.Identity;
using CareMessaging.Identity.Data;
using CareMessaging.Identity.Telemetry;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Identity.Accounts;

/// <summary>
/// Failed sign-ins of one user name from one address, in the Identity database so that every
/// replica sees them. <see cref="AccountKey"/> is a hash of the normalised name: a name someone
/// typed (perhaps a password in the wrong field) is never stored.
/// </summary>
public sealed class SignInFailureRecord
{
    public required string AccountKey { get; init; }

    public required string ClientAddress { get; init; }

    public int Failures { get; set; }

    public DateTimeOffset FirstFailureAt { get; set; }

    public DateTimeOffset? BlockedUntil { get; set; }
}

/// <summary>Section <c>Identity:Throttle</c>.</summary>
public sealed class SignInThrottleSettings
{
    /// <summary>Failures of one name from one address that cost nothing.</summary>
    public int FreeFailures { get; set; } = 5;

    /// <summary>The wait after the first failure past the free ones; it doubles with each further failure.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures older than this are forgotten.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>This many user names slowed down at once is an alert (<see cref="SignInStormDetected"/>).</summary>
    public int StormAccounts { get; set; } = 10;

    /// <summary>One user name slowed down from this many addresses at once is an alert too.</summary>
    public int StormAddresses { get; set; } = 3;
}

/// <summary>
/// Slows down password guessing instead of locking accounts (docs/decisions/0026): after the free
/// failures, attempts for that user name from that address wait a growing delay, while the owner
/// at another address and every session already signed in carry on. An unknown user name is slowed
/// down exactly like a real one. Storms are published for the audit trail.
/// </summary>
public sealed partial class SignInThrottle(
    AccountsDbContext db,
    Microsoft.Extensions.Options.IOptions<SignInThrottleSettings> options,
    IPublishEndpoint bus,
    TimeProvider clock,
    IdentityTelemetry telemetry,
    ILogger<SignInThrottle> logger)
{
    private SignInThrottleSettings Settings => options.Value;

    /// <summary>Until when attempts for <paramref name="userName"/> from <paramref name="clientAddress"/> wait; null when they may go ahead.</summary>
    public async Task<DateTimeOffset?> BlockedUntilAsync(string userName, string? clientAddress)
    {
        var (key, address) = (AccountKey(userName), Address(clientAddress));
        var now = clock.GetUtcNow();
        var until = await db.SignInFailures.AsNoTracking()
            .Where(f => f.AccountKey == key && f.ClientAddress == address && f.BlockedUntil > now)
            .Select(f => f.BlockedUntil).FirstOrDefaultAsync();
        return until;
    }

    /// <summary>Counts a failure; past the free ones the address waits, and that is published.</summary>
    public async Task RecordFailureAsync(string userName, string? clientAddress, string? userId)
    {
        var (key, address) = (AccountKey(userName), Address(clientAddress));
        var now = clock.GetUtcNow();
        var windowStart = now - Settings.Window;
        // Read as it is: a LINQ operator on top would wrap the INSERT in a subquery, which PostgreSQL refuses.
        var returned = await db.Database.SqlQuery<int>($"""
            INSERT INTO sign_in_failures (account_key, client_address, failures, first_failure_at)
            VALUES ({key}, {address}, 1, {now})
            ON CONFLICT (account_key, client_address) DO UPDATE SET
                failures = CASE WHEN sign_in_failures.first_failure_at < {windowStart} THEN 1 ELSE sign_in_failures.failures + 1 END,
                first_failure_at = CASE WHEN sign_in_failures.first_failure_at < {windowStart} THEN {now} ELSE sign_in_failures.first_failure_at END,
                blocked_until = CASE WHEN sign_in_failures.first_failure_at < {windowStart} THEN NULL ELSE sign_in_failures.blocked_until END
            RETURNING failures AS "Value"
            """).ToListAsync();
        var failures = returned.Single();
        if (failures <= Settings.FreeFailures)
        {
            return;
        }

        var doublings = Math.Min(failures - Settings.FreeFailures - 1, 20);
        var delay = TimeSpan.FromTicks(Math.Min(Settings.MaxDelay.Ticks, Settings.FirstDelay.Ticks << doublings));
        var until = now + delay;
        await db.SignInFailures.Where(f => f.AccountKey == key && f.ClientAddress == address)
            .ExecuteUpdateAsync(set => set.SetProperty(f => f.BlockedUntil, until));
        LogThrottled(logger, failures, delay);
        telemetry.Throttled();
        await bus.Publish(new SignInThrottled
        {
            EventId = Guid.CreateVersion7(),
            OccurredAt = now,
            UserId = userId,
            Failures = failures,
            Until = until,
            ClientIp = clientAddress,
        });

        if (failures == Settings.FreeFailures + 1)
        {
            await DetectStormAsync(key, userId, now);
        }
    }

    /// <summary>A successful sign-in forgets this address's failures for the name.</summary>
    public Task RecordSuccessAsync(string userName, string? clientAddress)
    {
        var (key, address) = (AccountKey(userName), Address(clientAddress));
        return db.SignInFailures.Where(f => f.AccountKey == key && f.ClientAddress == address).ExecuteDeleteAsync();
    }

    /// <summary>Forgets failures older than the window that no longer hold anyone back.</summary>
    public Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var before = now - Settings.Window;
        return db.SignInFailures.Where(f => f.FirstFailureAt < before && (f.BlockedUntil == null || f.BlockedUntil < now))
            .ExecuteDeleteAsync(cancellationToken);
    }

    private async Task DetectStormAsync(string key, string? userId, DateTimeOffset now)
    {
        var accounts = await db.SignInFailures.Where(f => f.BlockedUntil > now).Select(f => f.AccountKey).Distinct().CountAsync();
        var addresses = await db.SignInFailures.CountAsync(f => f.AccountKey == key && f.BlockedUntil > now);
        // Published when a threshold is reached, not for every attempt past it.
        if (accounts == Settings.StormAccounts || addresses == Settings.StormAddresses)
        {
            LogStorm(logger, accounts, addresses);
            await bus.Publish(new SignInStormDetected
            {
                EventId = Guid.CreateVersion7(),
                OccurredAt = now,
                UserId = addresses == Settings.StormAddresses ? userId : null,
                ThrottledAccounts = accounts,
                ThrottledAddresses = addresses,
                Window = Settings.Window,
            });
        }
    }

    private static string AccountKey(string userName) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userName.Trim().ToUpperInvariant())));

    private static string Address(string? clientAddress) => clientAddress is { Length: > 0 and <= 64 } ? clientAddress : "unknown";

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-ins for one user name from one address are slowed down after {Failures} failures, for {Delay}")]
    private static partial void LogThrottled(ILogger logger, int failures, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in storm: {Accounts} user names slowed down at once; {Addresses} addresses against one of them")]
    private static partial void LogStorm(ILogger logger, int accounts, int addresses);
}

/// <summary>Forgets old sign-in failures every hour.</summary>
public sealed class SignInFailurePruning(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SignInFailurePruning> logger)
    : CareMessaging.ServiceDefaults.BackgroundLoop(clock, logger)
{
    protected override string JobName => "sign-in failure pruning";

    protected override TimeSpan InitialDelay => TimeSpan.FromMinutes(1);

    protected override async Task<CareMessaging.ServiceDefaults.NextRound> RunRoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SignInThrottle>().PruneAsync(cancellationToken);
        return CareMessaging.ServiceDefaults.NextRound.After(TimeSpan.FromHours(1));
    }
}
