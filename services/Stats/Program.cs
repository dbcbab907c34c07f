using CareMessaging.Stats.Apis;
using CareMessaging.Stats.Data;
using CareMessaging.Stats.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddStatsServices();

var app = builder.Build();

app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapStatsOpenApi();
app.MapStatsApi();

await app.MigrateDatabaseAsync<StatsDbContext>();
await app.RunAsync();
