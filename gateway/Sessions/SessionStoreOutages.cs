using System.Globalization;
using StackExchange.Redis;

namespace CareMessaging.Gateway.Sessions;

/// <summary>How long the gateway waits for its session store before it answers 503.</summary>
public static class SessionStoreTimeouts
{
    public const int ConnectMilliseconds = 2_000;
    public const int CommandMilliseconds = 2_000;

    /// <summary>What a 503 tells the client to wait before trying again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);
}

/// <summary>
/// A session store that is down or does not answer in time is an outage the client can wait out:
/// a 503 with Retry-After, the session kept, rather than a 500 or a sign-out.
/// </summary>
public static partial class SessionStoreOutages
{
    public static void UseSessionStoreOutages(this WebApplication app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (exception is RedisException or RedisTimeoutException && !context.Response.HasStarted)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CareMessaging.Gateway.Sessions");
            LogUnavailable(logger, exception.GetType().Name);
            context.Response.Clear();
            context.Response.Headers.RetryAfter = ((int)SessionStoreTimeouts.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Sessions are unavailable",
                detail: "The session store cannot be reached at the moment. Try again in a few seconds; you stay signed in.").ExecuteAsync(context);
        }
    });

    [LoggerMessage(Level = LogLevel.Warning, Message = "The session store did not answer ({Exception}); answered 503")]
    private static partial void LogUnavailable(ILogger logger, string exception);
}
