using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace CareMessaging.ServiceDefaults.Outages;

/// <summary>
/// A request that failed because a dependency is down or restarting is answered 503 with
/// <c>Retry-After</c> and a ProblemDetails that says which kind of server is unavailable (never its
/// address, user or the driver's message), instead of a 500. Every service registers it through
/// <c>AddServiceDefaults</c>; the web front end's problem writer turns it into its error page for
/// browsers. Repeating a request after an outage is safe: sends carry a clientMessageId and the
/// other writes are idempotent (docs/decisions/0059-outages-are-503-with-retry-after.md).
/// </summary>
public sealed partial class OutageExceptionHandler(
    IProblemDetailsService problems,
    TimeProvider clock,
    ILogger<OutageExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>The extension member of the ProblemDetails that names the dependency.</summary>
    public const string UnavailableMember = "unavailable";

    /// <summary>Within this time of the last warning about a dependency, further failures are counted, not logged.</summary>
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<Dependency, WarningWindow> _warnings = new();

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (Outages.Classify(exception) is not { } dependency || httpContext.Response.HasStarted)
        {
            return false;
        }

        Warn(dependency, httpContext, exception);
        var answer = OutageAnswer.For(dependency);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = ((int)answer.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = answer.Title,
            Detail = answer.Detail,
            Extensions = { [UnavailableMember] = answer.Name },
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private void Warn(Dependency dependency, HttpContext httpContext, Exception exception)
    {
        var now = clock.GetUtcNow();
        var window = _warnings.GetOrAdd(dependency, _ => new WarningWindow());
        int suppressed;
        lock (window)
        {
            if (now - window.LastWarning < WarningInterval)
            {
                window.Suppressed++;
                return;
            }

            (suppressed, window.Suppressed, window.LastWarning) = (window.Suppressed, 0, now);
        }

        // The route pattern, not the path: a path can hold a patient ID. The exception's types, not its
        // message: a driver's message names hosts and ports, and the ProblemDetails never does.
        var endpoint = (httpContext.GetEndpoint() as Microsoft.AspNetCore.Routing.RouteEndpoint)?.RoutePattern.RawText
            ?? httpContext.GetEndpoint()?.DisplayName ?? "(no endpoint)";
        LogOutage(logger, OutageAnswer.For(dependency).Name, httpContext.Request.Method, endpoint, ExceptionChain(exception), suppressed);
    }

    private static string ExceptionChain(Exception exception)
    {
        var names = new List<string>();
        for (var current = exception; current is not null && names.Count < 6; current = current.InnerException)
        {
            names.Add(current is Npgsql.PostgresException postgres ? $"{current.GetType().Name}({postgres.SqlState})" : current.GetType().Name);
        }

        return string.Join(" <- ", names);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A request failed because the {Dependency} is unavailable and was answered 503: {Method} {Endpoint}, {Exceptions}; {Suppressed} more since the last warning")]
    private static partial void LogOutage(ILogger logger, string dependency, string method, string endpoint, string exceptions, int suppressed);

    private sealed class WarningWindow
    {
        public DateTimeOffset LastWarning { get; set; } = DateTimeOffset.MinValue;

        public int Suppressed { get; set; }
    }
}

/// <summary>What a caller is told about an outage of one kind of dependency.</summary>
public sealed record OutageAnswer(string Name, string Title, string Detail, TimeSpan RetryAfter)
{
    /// <summary>What every outage answer ends with: when to try again, and that trying again is safe.</summary>
    public const string RepeatSafely = "Try again in a few seconds; repeating the request is safe and nothing is stored twice.";

    public static OutageAnswer For(Dependency dependency) => dependency switch
    {
        Dependency.Database => new("database", "The database is unavailable",
            $"The service cannot reach its database at the moment. {RepeatSafely}", TimeSpan.FromSeconds(5)),
        Dependency.Redis => new("redis", "The session and counter store is unavailable",
            $"The service cannot reach Redis at the moment. {RepeatSafely}", TimeSpan.FromSeconds(2)),
        Dependency.MessageBroker => new("message-broker", "The message broker is unavailable",
            $"The event this request must record cannot be published at the moment. {RepeatSafely}", TimeSpan.FromSeconds(5)),
        _ => new("service", "A service this request needs is unavailable",
            $"Another part of CareMessaging is not answering at the moment. {RepeatSafely}", TimeSpan.FromSeconds(5)),
    };
}
