using CareMessaging.Clients;
using CareMessaging.Contracts;
using CareMessaging.ServiceDefaults;
using CareMessaging.ServiceDefaults.Outages;
using CareMessaging.Stats.Consumers;
using CareMessaging.Stats.Data;
using CareMessaging.Stats.ReadModel;
using CareMessaging.Stats.Rebuild;
using CareMessaging.Stats.Telemetry;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Stats.Extensions;

internal static class Extensions
{
    public const string ApiTitle = "CareMessaging Stats API";

    /// <summary>Where the Conversation service answers; a service-discovery name unless configured otherwise.</summary>
    public const string ConversationServiceKey = "Stats:ConversationService";

    public static void AddStatsServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<StatsDbContext>(ResourceNames.StatsDb,
            configureDbContextOptions: options => options.UseSnakeCaseNamingConvention().RetryBriefly());
        // The figures are served from statsdb while the broker is away; the queues hold what arrives meanwhile.
        builder.AddMessaging(ResourceNames.Stats, bus =>
        {
            bus.AddCareMessagingConsumer<ConversationStartedConsumer, StoreOutageConsumerDefinition<ConversationStartedConsumer>>();
            bus.AddCareMessagingConsumer<MessageSentConsumer, MessageSentConsumerDefinition>();
            bus.AddCareMessagingConsumer<ConversationReadConsumer, StoreOutageConsumerDefinition<ConversationReadConsumer>>();
            bus.AddCareMessagingConsumer<ConversationStatusChangedConsumer, StoreOutageConsumerDefinition<ConversationStatusChangedConsumer>>();
        }, readyWithoutBroker: true);
        builder.AddDefaultAuthentication(audience: ResourceNames.Stats);

        builder.Services.AddScoped<StatsStore>();
        builder.Services.AddScoped<StatsQueries>();
        builder.Services.AddScoped<StatsRebuilder>();
        // A client-credentials token with the read-model scope (ServiceClient section, set by the AppHost).
        builder.Services.AddHttpClient<ReadModelExportClient>(http =>
                http.BaseAddress = new Uri(builder.Configuration[ConversationServiceKey] ?? $"https+http://{ResourceNames.Conversation}"))
            .AddServiceClientToken();
        builder.Services.AddSingleton<InitialRebuildState>();
        builder.Services.AddSingleton<StatsTelemetry>();
        builder.Services.AddHostedService<InitialRebuildJob>();
        // Readiness only (/health): the process stays alive (/alive) while the first rebuild runs.
        builder.Services.AddHealthChecks().AddCheck<ReadModelReadyCheck>(ReadModelReadyCheck.Name);

        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = ApiTitle;
            return Task.CompletedTask;
        }));
    }

    public static void MapStatsOpenApi(this WebApplication app) =>
        app.MapOpenApi("/api/stats/openapi/{documentName}.json").AllowAnonymous();
}
