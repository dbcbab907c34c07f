using System.Data.Common;
using CareMessaging.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;

namespace CareMessaging.ServiceDefaults.Outages;

/// <summary>
/// How long any call to a dependency may take before the request gives up and answers 503, so
/// that no request waits on a server that is gone. Each bound is a default: a setting in the
/// connection string or a registration's own timeout wins
/// (docs/decisions/0059-outages-are-503-with-retry-after.md).
/// </summary>
public static class Timeouts
{
    /// <summary>Opening a PostgreSQL connection (Npgsql <c>Timeout</c>; the driver's default is 15 s).</summary>
    public static readonly TimeSpan DatabaseConnect = TimeSpan.FromSeconds(5);

    /// <summary>One database command (Npgsql <c>Command Timeout</c>).</summary>
    public static readonly TimeSpan DatabaseCommand = TimeSpan.FromSeconds(30);

    /// <summary>Connecting to Redis and each Redis command, synchronous or not.</summary>
    public static readonly TimeSpan Redis = TimeSpan.FromSeconds(5);

    /// <summary>One attempt of an HTTP call to another service, and the call with its retries.</summary>
    public static readonly TimeSpan ServiceAttempt = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan ServiceCall = TimeSpan.FromSeconds(20);

    /// <summary>One health check (a dependency's probe) before it reports unhealthy.</summary>
    public static readonly TimeSpan HealthCheck = TimeSpan.FromSeconds(5);

    /// <summary>A request that publishes an event itself (a sign-in, a sign-out) waits this long for the broker.</summary>
    public static readonly TimeSpan Publish = TimeSpan.FromSeconds(5);

    private static readonly string[] DatabaseConnections =
        [ResourceNames.ConversationDb, ResourceNames.AuditDb, ResourceNames.StatsDb, ResourceNames.IdentityDb];

    /// <summary>Adds the bounds to the services' connection strings where the strings do not set their own.</summary>
    public static void BoundConnectionStrings(IConfiguration configuration)
    {
        foreach (var name in DatabaseConnections)
        {
            if (configuration.GetConnectionString(name) is { Length: > 0 } connectionString)
            {
                configuration[$"ConnectionStrings:{name}"] = WithDefaults(connectionString,
                    (["Timeout"], Seconds(DatabaseConnect)),
                    (["Command Timeout", "CommandTimeout"], Seconds(DatabaseCommand)));
            }
        }

        if (configuration.GetConnectionString(ResourceNames.Redis) is { Length: > 0 } redis)
        {
            configuration[$"ConnectionStrings:{ResourceNames.Redis}"] = RedisWithDefaults(redis);
        }
    }

    /// <summary>
    /// Npgsql <paramref name="connectionString"/> with <paramref name="defaults"/> for the keys it does not
    /// name (each default lists the key's spellings).
    /// </summary>
    public static string WithDefaults(string connectionString, params (string[] Keys, string Value)[] defaults)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        foreach (var (keys, value) in defaults)
        {
            if (!keys.Any(builder.ContainsKey))
            {
                builder[keys[0]] = value;
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// A StackExchange.Redis configuration string with bounded connect and command timeouts, and one
    /// that lets the service start and reconnect while Redis is down, unless it says otherwise.
    /// </summary>
    public static string RedisWithDefaults(string configuration)
    {
        var named = configuration.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2)[0].Trim())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var milliseconds = ((int)Redis.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var added = new (string Key, string Value)[]
            {
                ("connectTimeout", milliseconds), ("syncTimeout", milliseconds), ("asyncTimeout", milliseconds), ("abortConnect", "false"),
            }
            .Where(option => !named.Contains(option.Key))
            .Select(option => $"{option.Key}={option.Value}");
        return string.Join(',', [configuration.TrimEnd(','), .. added]);
    }

    /// <summary>
    /// EF Core retries a failed command twice, at most a second apart, when PostgreSQL dropped the
    /// connection or is restarting; a longer outage is a 503 within seconds rather than a request
    /// that hangs for a minute (the driver's default retries six times, up to 30 s apart). Not for a
    /// context whose writes open their own transactions (the Conversation service's).
    /// </summary>
    public static DbContextOptionsBuilder RetryBriefly(this DbContextOptionsBuilder options) =>
        options.UseNpgsql(npgsql => npgsql.EnableRetryOnFailure(
            maxRetryCount: 2, maxRetryDelay: TimeSpan.FromSeconds(1), errorCodesToAdd: ["57P01", "57P02", "57P03"]));

    internal static void BoundServiceCalls(HttpStandardResilienceOptions options)
    {
        options.AttemptTimeout.Timeout = ServiceAttempt;
        options.TotalRequestTimeout.Timeout = ServiceCall;
        // A service that is down is reported after about two seconds of retries, not fourteen.
        options.Retry.MaxRetryAttempts = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
    }

    internal static void BoundHealthChecks(HealthCheckServiceOptions options)
    {
        foreach (var registration in options.Registrations.Where(r => r.Timeout == System.Threading.Timeout.InfiniteTimeSpan))
        {
            registration.Timeout = HealthCheck;
        }
    }

    private static string Seconds(TimeSpan value) => ((int)value.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
