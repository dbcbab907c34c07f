using CareMessaging.Contracts;
using CareMessaging.Contracts.Notifications;
using CareMessaging.Notification.Counters;
using CareMessaging.Notification.Push;
using CareMessaging.Notification.Rebuild;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

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

    public static async Task<Results<Ok<UnreadSummary>, ForbidHttpResult, ProblemHttpResult>> GetUnread(HttpContext http, UnreadCounters counters)
    {
        if (http.User.FindFirst(CareMessagingClaims.Subject)?.Value is not { Length: > 0 } userId)
        {
            return TypedResults.Forbid();
        }

        try
        {
            return TypedResults.Ok(await counters.GetSummaryAsync(userId));
        }
        catch (Exception exception) when (exception is RedisConnectionException or RedisTimeoutException)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Unread counts are unavailable",
                detail: "The counter store cannot be reached at the moment. Try again shortly; no message is lost meanwhile.");
        }
    }

    public static async Task<Ok<RebuildResult>> Rebuild(CounterRebuilder rebuilder, CancellationToken cancellationToken) =>
        TypedResults.Ok(await rebuilder.RebuildAsync(cancellationToken));
}
