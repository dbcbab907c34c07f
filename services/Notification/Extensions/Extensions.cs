using CareMessaging.Contracts;

namespace CareMessaging.Notification.Extensions;

internal static class Extensions
{
    public const string ApiTitle = "CareMessaging Notification API";

    public static void AddNotificationServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(ResourceNames.Redis);
        builder.AddMessaging(ResourceNames.Notification);
        builder.AddDefaultAuthentication(audience: ResourceNames.Notification);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = ApiTitle;
            return Task.CompletedTask;
        }));
    }

    public static void MapNotificationOpenApi(this WebApplication app) =>
        app.MapOpenApi("/api/notifications/openapi/{documentName}.json").AllowAnonymous();
}
