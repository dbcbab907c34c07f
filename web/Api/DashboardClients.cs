using CareMessaging.Contracts.Conversations;
using CareMessaging.Contracts.Notifications;

namespace CareMessaging.Web.Api;

/// <summary>The Stats service's dashboard figures for the signed-in user (GET /api/stats).</summary>
public sealed class StatsClient(HttpClient http)
{
    public async Task<ApiResult<DashboardCounts>> GetAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("/api/stats", cancellationToken);
        return await ServiceResponses.ReadAsync<DashboardCounts>(response, cancellationToken);
    }
}

/// <summary>The Notification service's unread counters for the signed-in user (GET /api/notifications/unread).</summary>
public sealed class NotificationsClient(HttpClient http)
{
    public async Task<ApiResult<UnreadSummary>> UnreadAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("/api/notifications/unread", cancellationToken);
        return await ServiceResponses.ReadAsync<UnreadSummary>(response, cancellationToken);
    }
}
