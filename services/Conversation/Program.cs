using CareMessaging.Conversation.Apis;
using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Extensions;
using CareMessaging.Conversation.Seeding;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddConversationServices();

var app = builder.Build();

app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapConversationOpenApi();
app.MapConversationsApi();
app.MapPatientsApi();

await app.MigrateDatabaseAsync<ConversationDbContext>();
await app.SeedDemoDataAsync();
await app.RunAsync();
