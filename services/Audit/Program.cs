using CareMessaging.Audit.Apis;
using CareMessaging.Audit.Data;
using CareMessaging.Audit.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAuditServices();

var app = builder.Build();

app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapAuditOpenApi();
app.MapAuditApi();

await app.MigrateDatabaseAsync<AuditDbContext>();
await app.RunAsync();
