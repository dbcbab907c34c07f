using CareMessaging.Contracts;
using CareMessaging.Identity.Data;

namespace CareMessaging.Identity.Extensions;

/// <summary>The public prefix the gateway routes to this service; sign-in pages and OpenID Connect endpoints live under it.</summary>
internal static class PublicPaths
{
    public const string Base = "/identity";
}

internal static class Extensions
{
    public const string ApiTitle = "CareMessaging Identity API";

    public static void AddIdentityServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<AccountsDbContext>(ResourceNames.IdentityDb);
        builder.AddMessaging(ResourceNames.Identity);
        builder.AddDefaultAuthentication(audience: ResourceNames.Identity);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = ApiTitle;
            return Task.CompletedTask;
        }));
    }

    public static void MapIdentityOpenApi(this WebApplication app) =>
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
}
