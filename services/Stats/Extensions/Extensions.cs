using CareMessaging.Contracts;
using CareMessaging.Stats.Data;

namespace CareMessaging.Stats.Extensions;

internal static class Extensions
{
    public const string ApiTitle = "CareMessaging Stats API";

    public static void AddStatsServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<StatsDbContext>(ResourceNames.StatsDb);
        builder.AddMessaging(ResourceNames.Stats);
        builder.AddDefaultAuthentication(audience: ResourceNames.Stats);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = ApiTitle;
            return Task.CompletedTask;
        }));
    }

    public static void MapStatsOpenApi(this WebApplication app) =>
        app.MapOpenApi("/api/stats/openapi/{documentName}.json").AllowAnonymous();
}
