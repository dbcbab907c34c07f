using CareMessaging.Contracts;
using CareMessaging.Contracts.Notifications;
using CareMessaging.Notification.Counters;
using CareMessaging.Notification.Push;
using CareMessaging.Notification.Rebuild;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CareMessaging.Notification.Apis;

/// <summary>The caller's unread counts, the rebuild an administrator can ask for, and the push hub.</summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notifications").WithTags("Notifications");
        api.MapGet("/unread", GetUnread).RequireAuthorization();
        api.MapPost("/rebuild", Rebuild).RequireAuthorization(Policies.Admin);
        app.MapHub<NotificationHub>(NotificationPushes.HubPath).RequireAuthorization();
        return app;
    }

    public static async Task<Results<Ok<UnreadSummary>, ForbidHttpResult>> GetUnread(HttpContext http, UnreadCounters counters)
    {
        if (http.User.FindFirst(CareMessagingClaims.Subject)?.Value is not { Length: > 0 } userId)
        {
            return TypedResults.Forbid();
        }

        return TypedResults.Ok(await counters.GetSummaryAsync(userId));
    }

    public static async Task<Ok<RebuildResult>> Rebuild(CounterRebuilder rebuilder, CancellationToken cancellationToken) =>
        TypedResults.Ok(await rebuilder.RebuildAsync(cancellationToken));
}
