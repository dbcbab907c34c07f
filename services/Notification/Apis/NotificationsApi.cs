using CareMessaging.Contracts;
using CareMessaging.Contracts.Notifications;
using CareMessaging.Notification.Counters;
using CareMessaging.Notification.Push;
using CareMessaging.Notification.Rebuild;
using CareMessaging.ServiceDefaults;
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
        api.MapPost("/internal/rebuild", Rebuild).RequireAuthorization(Policies.Operations);
        // A connection lasts no longer than the token it was opened with; the client reconnects
        // through the gateway, which gives it a fresh token only while the session lives.
        app.MapHub<NotificationHub>(NotificationPushes.HubPath, hub => hub.CloseOnAuthenticationExpiration = true).RequireAuthorization();
        return app;
    }

    /// <summary>How long a caller should wait before asking again while the counters are rebuilt; a rebuild takes seconds.</summary>
    public static readonly TimeSpan RebuildRetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The caller's unread counts, or 503 while they are being rebuilt: zeros would be a wrong badge
    /// (docs/decisions/0036-not-ready-until-counters-are-built.md).
    /// </summary>
    public static async Task<Results<Ok<UnreadSummary>, ForbidHttpResult, ProblemHttpResult>> GetUnread(HttpContext http, UnreadCounters counters)
    {
        var userId = CareMessagingCaller.From(http.User).UserId;
        if (userId.Length == 0)
        {
            return TypedResults.Forbid();
        }

        // Redis being down is an outage like any other: the shared handler answers 503 with Retry-After.
        if (await counters.GetSummaryAsync(userId) is { } summary)
        {
            return TypedResults.Ok(summary);
        }

        http.Response.Headers.RetryAfter = ((int)RebuildRetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Unread counts are being rebuilt",
            detail: "The counters are being rebuilt from the conversations. Try again in a few seconds; no message is lost meanwhile.");
    }

    public static async Task<Ok<CountersRebuildResult>> Rebuild(CounterRebuilder rebuilder, CancellationToken cancellationToken) =>
        TypedResults.Ok(await rebuilder.RebuildAsync(cancellationToken));
}
