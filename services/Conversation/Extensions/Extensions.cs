using CareMessaging.Contracts;
using CareMessaging.Conversation.Data;

namespace CareMessaging.Conversation.Extensions;

internal static class Extensions
{
    public const string ApiTitle = "CareMessaging Conversation API";

    public static void AddConversationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<ConversationDbContext>(ResourceNames.ConversationDb);
        builder.AddMessaging(ResourceNames.Conversation);
        builder.AddDefaultAuthentication(audience: ResourceNames.Conversation);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = ApiTitle;
            return Task.CompletedTask;
        }));
    }

    public static void MapConversationOpenApi(this WebApplication app) =>
        app.MapOpenApi("/api/conversations/openapi/{documentName}.json").AllowAnonymous();
}
