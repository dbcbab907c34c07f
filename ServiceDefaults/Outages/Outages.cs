using MassTransit;
using Npgsql;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RabbitMQ.Client.Exceptions;
using StackExchange.Redis;

namespace CareMessaging.ServiceDefaults.Outages;

/// <summary>
/// Tells an outage (a server that is down, restarting or not answering in time) from a fault in the
/// request or the code. Only an outage is worth the caller's retry; anything else stays a 500.
/// Drivers and EF Core wrap what they caught, so the whole chain of inner exceptions is read.
/// </summary>
public static class Outages
{
    // PostgreSQL's own codes for "going away" and "not yet back": administrator or crash shutdown,
    // starting up; class 08 (connection) and 53 (resources) say the same from the server's side.
    private static readonly HashSet<string> PostgresUnavailableStates = ["57P01", "57P02", "57P03"];

    // Redis answers these while it loads its data after a restart, runs a long script or has no primary.
    private static readonly string[] RedisUnavailableReplies = ["LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN"];

    /// <summary>The dependency that did not answer, or null when <paramref name="exception"/> is not an outage.</summary>
    public static Dependency? Classify(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        for (var seen = 0; pending.Count > 0 && seen < 16; seen++)
        {
            var current = pending.Pop();
            if (Direct(current) is { } dependency)
            {
                return dependency;
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }

        return null;
    }

    private static Dependency? Direct(Exception exception) => exception switch
    {
        DependencyUnavailableException unavailable => unavailable.Dependency,

        PostgresException postgres when postgres.IsTransient
            || PostgresUnavailableStates.Contains(postgres.SqlState)
            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("53", StringComparison.Ordinal) => Dependency.Database,
        // Any other server error (a constraint, a syntax error) is not an outage.
        PostgresException => null,
        NpgsqlException { IsTransient: true } => Dependency.Database,

        RedisConnectionException or RedisTimeoutException => Dependency.Redis,
        RedisServerException server when RedisUnavailableReplies.Any(reply => server.Message.StartsWith(reply, StringComparison.Ordinal)) => Dependency.Redis,

        ConnectionException or BrokerUnreachableException or AlreadyClosedException => Dependency.MessageBroker,

        // Another service: refused, reset, timed out, or answering 5xx to a client that throws on it.
        HttpRequestException http when http.StatusCode is null || (int)http.StatusCode >= 500 => Dependency.Service,
        TimeoutRejectedException or BrokenCircuitException => Dependency.Service,
        // HttpClient's own timeout; a caller who went away cancels without a TimeoutException inside.
        OperationCanceledException { InnerException: TimeoutException } => Dependency.Service,
        _ => null,
    };
}
