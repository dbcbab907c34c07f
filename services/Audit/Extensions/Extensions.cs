using CareMessaging.Audit.Consumers;
using CareMessaging.Audit.Data;
using CareMessaging.Audit.Retention;
using CareMessaging.Audit.Telemetry;
using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.ServiceDefaults.Outages;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Audit.Extensions;

internal static class Extensions
{
    public const string ApiTitle = "CareMessaging Audit API";

    public static void AddAuditServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<AuditDbContext>(ResourceNames.AuditDb, configureDbContextOptions: options => options.UseSnakeCaseNamingConvention().RetryBriefly());
        // The trail is searched and verified from auditdb while the broker is away; the queues hold what arrives meanwhile.
        builder.AddMessaging(ResourceNames.Audit, bus =>
        {
            // One consumer per row of the table, each with its own queue named after its event.
            foreach (var row in AuditTable.Rows)
            {
                row.Register(bus);
            }
        }, readyWithoutBroker: true);
        builder.AddDefaultAuthentication(audience: ResourceNames.Audit);

        builder.Services.AddScoped<AuditTrail>();
        builder.Services.AddSingleton<AuditTelemetry>();
        builder.Services.AddKeyedScoped(RetentionPurge.OwnerKey, (services, _) => DatabaseMigrations.OwnerContext<AuditDbContext>(services, ResourceNames.AuditDb));
        builder.Services.AddScoped<RetentionPurge>();
        builder.Services.AddOptions<RetentionOptions>()
            .Bind(builder.Configuration.GetSection(RetentionOptions.SectionName))
            .Validate(o => o.Years >= 1, "Audit:Retention:Years must be at least 1.")
            .Validate(o => o.Interval >= TimeSpan.FromMinutes(1), "Audit:Retention:Interval must be at least a minute.")
            .ValidateOnStart();
        builder.Services.AddHostedService<RetentionPurgeJob>();

        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = ApiTitle;
            return Task.CompletedTask;
        }));
    }

    public static void MapAuditOpenApi(this WebApplication app) =>
        app.MapOpenApi("/api/audit/openapi/{documentName}.json").AllowAnonymous();
}
