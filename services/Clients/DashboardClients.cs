using CareMessaging.Contracts.Notifications;
using CareMessaging.Contracts.Stats;

namespace CareMessaging.Clients;

/// <summary>The Stats service's dashboard figures for the caller (GET /api/stats).</summary>
public sealed class StatsClient(HttpClient http)
{
    public const string Path = "/api/stats";

    public async Task<ApiResult<StatsResponse>> GetAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(Path, cancellationToken);
        return await ServiceResponses.ReadAsync<StatsResponse>(response, cancellationToken);
    }
}

/// <summary>The Notification service's unread counters for the caller (GET /api/notifications/unread).</summary>
public sealed class NotificationsClient(HttpClient http)
{
    public const string UnreadPath = "/api/notifications/unread";

    public async Task<ApiResult<UnreadSummary>> UnreadAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(UnreadPath, cancellationToken);
        return await ServiceResponses.ReadAsync<UnreadSummary>(response, cancellationToken);
    }
}
