using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddConversationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapConversationOpenApi();

await app.MigrateDatabaseAsync<ConversationDbContext>();
await app.RunAsync();
