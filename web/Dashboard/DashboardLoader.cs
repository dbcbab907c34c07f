using CareMessaging.Clients;
using CareMessaging.Contracts.Stats;

namespace CareMessaging.Web.Dashboard;

/// <summary>The four figures and the unread badge; null where the service behind it did not answer.</summary>
public sealed record DashboardView(StatsResponse? Counts, long? UnreadTotal);

/// <summary>
/// Loads the dashboard from the Stats and Notification services, for a page and for the fragments
/// its script asks for after a push. Either service may be restarting: a page then shows the inbox
/// with a dash in place of the figure instead of failing.
/// </summary>
public sealed partial class DashboardLoader(StatsClient stats, NotificationsClient notifications, ILogger<DashboardLoader> logger)
{
    public async Task<DashboardView> LoadAsync(CancellationToken cancellationToken)
    {
        var counts = LoadCountsAsync(cancellationToken);
        var unread = LoadUnreadTotalAsync(cancellationToken);
        await Task.WhenAll(counts, unread);
        return new DashboardView(counts.Result, unread.Result);
    }

    /// <summary>The four figures from the Stats service's read model.</summary>
    public Task<StatsResponse?> LoadCountsAsync(CancellationToken cancellationToken) =>
        TryAsync(() => stats.GetAsync(cancellationToken), "stats");

    /// <summary>The badge's total from the Notification service's counters.</summary>
    public async Task<long?> LoadUnreadTotalAsync(CancellationToken cancellationToken) =>
        (await TryAsync(() => notifications.UnreadAsync(cancellationToken), "notification"))?.Total;

    private async Task<T?> TryAsync<T>(Func<Task<ApiResult<T>>> call, string service) where T : class
    {
        try
        {
            var result = await call();
            if (result.Succeeded)
            {
                return result.Value;
            }

            LogUnavailable(logger, service, result.Problem!.Status);
        }
        catch (HttpRequestException exception)
        {
            LogUnavailable(logger, service, (int?)exception.StatusCode ?? 0);
        }
        catch (Polly.Timeout.TimeoutRejectedException)
        {
            LogUnavailable(logger, service, StatusCodes.Status504GatewayTimeout);
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Service} service answered {Status}; the dashboard shows no figure for it")]
    private static partial void LogUnavailable(ILogger logger, string service, int status);
}
