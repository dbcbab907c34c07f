using CareMessaging.Identity.Apis;
using CareMessaging.Identity.Data;
using CareMessaging.Identity.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIdentityServices();

var app = builder.Build();

app.UseForwardedHeaders();
app.UsePathBase(PublicPaths.Base);
app.UseStaticFiles();
app.UseRouting();
app.UseRateLimiter();
app.MapDefaultEndpoints();
app.MapIdentityOpenApi();
app.MapConnectApi();
app.MapAccountApi();
app.MapRazorPages();

await app.MigrateDatabaseAsync<AccountsDbContext>();
await app.PrepareAccountsAsync();
await app.RunAsync();
