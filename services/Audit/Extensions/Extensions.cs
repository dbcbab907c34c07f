using CareMessaging.Audit.Data;
using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;

namespace CareMessaging.Audit.Extensions;

internal static class Extensions
{
    public const string ApiTitle = "CareMessaging Audit API";

    public static void AddAuditServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<AuditDbContext>(ResourceNames.AuditDb);
        builder.AddMessaging(ResourceNames.Audit, bus => bus.AddConsumer<ServiceStartedConsumer>());
        builder.AddDefaultAuthentication(audience: ResourceNames.Audit);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = ApiTitle;
            return Task.CompletedTask;
        }));
    }

    public static void MapAuditOpenApi(this WebApplication app) =>
        app.MapOpenApi("/api/audit/openapi/{documentName}.json").AllowAnonymous();
}
