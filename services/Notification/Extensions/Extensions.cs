using CareMessaging.Clients;
using CareMessaging.Contracts;
using CareMessaging.Notification.Consumers;
using CareMessaging.Notification.Counters;
using CareMessaging.Notification.Push;
using CareMessaging.Notification.Rebuild;
using CareMessaging.Notification.Telemetry;
using CareMessaging.ServiceDefaults;
using MassTransit;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace CareMessaging.Notification.Extensions;

internal static class Extensions
{
    public const string ApiTitle = "CareMessaging Notification API";

    /// <summary>Where the Conversation service answers; a service-discovery name unless configured otherwise.</summary>
    public const string ConversationServiceKey = "Notification:ConversationService";

    public static void AddNotificationServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(ResourceNames.Redis);
        builder.AddMessaging(ResourceNames.Notification, bus =>
        {
            // While Redis is down the counters cannot move: retry for minutes, so they converge once it is back.
            bus.AddCareMessagingConsumer<MessageSentConsumer, MessageSentConsumerDefinition>();
            bus.AddCareMessagingConsumer<ConversationReadConsumer, StoreOutageConsumerDefinition<ConversationReadConsumer>>();
        }, readyWithoutBroker: true);
        builder.AddDefaultAuthentication(audience: ResourceNames.Notification);

        builder.Services.AddSingleton<UnreadCounters>();
        builder.Services.AddSingleton<UnreadPushes>();
        builder.Services.AddSingleton<NotificationTelemetry>();
        builder.Services.AddSingleton<IUserIdProvider, SubjectUserIdProvider>();
        builder.Services.AddSignalR().AddStackExchangeRedis(
            builder.Configuration.GetConnectionString(ResourceNames.Redis) ?? string.Empty,
            // Replicas of this service share one channel namespace, apart from anything else in Redis.
            redis =>
            {
                redis.Configuration.ChannelPrefix = RedisChannel.Literal("caremessaging-notification");
                StoreTls.TrustAuthority(redis.Configuration, builder.Configuration);
            });

        // A client-credentials token with the read-model scope (ServiceClient section, set by the AppHost).
        builder.Services.AddHttpClient<ReadModelExportClient>(http =>
                http.BaseAddress = new Uri(builder.Configuration[ConversationServiceKey] ?? $"https+http://{ResourceNames.Conversation}"))
            .AddServiceClientToken();
        builder.Services.AddScoped<CounterRebuilder>();
        builder.Services.AddOptions<RebuildOptions>().Bind(builder.Configuration.GetSection(RebuildOptions.SectionName));
        builder.Services.AddHostedService<RebuildMonitor>();
        // Readiness only (/health): the process stays alive (/alive) while the counters are rebuilt.
        builder.Services.AddHealthChecks().AddCheck<CountersReadyCheck>(CountersReadyCheck.Name);

        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = ApiTitle;
            return Task.CompletedTask;
        }));
    }

    public static void MapNotificationOpenApi(this WebApplication app) =>
        app.MapOpenApi("/api/notifications/openapi/{documentName}.json").AllowAnonymous();
}
