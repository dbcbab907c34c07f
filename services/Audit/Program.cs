using CareMessaging.Audit.Apis;
using CareMessaging.Audit.Data;
using CareMessaging.Audit.Extensions;
using CareMessaging.Contracts;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAuditServices();

var app = builder.Build();

app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapAuditOpenApi();
app.MapAuditApi();

// The writer may only read and append to the trail; the owner migrates it (docs/decisions/0028).
await app.MigrateDatabaseAsync<AuditDbContext>(ownerOf: ResourceNames.AuditDb);
await app.RunAsync();
