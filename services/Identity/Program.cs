using CareMessaging.Identity.Data;
using CareMessaging.Identity.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIdentityServices();

var app = builder.Build();

app.UsePathBase(PublicPaths.Base);
app.UseRouting();
app.MapDefaultEndpoints();
app.MapIdentityOpenApi();

await app.MigrateDatabaseAsync<AccountsDbContext>();
await app.RunAsync();
