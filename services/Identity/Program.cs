using CareMessaging.Identity.Apis;
using CareMessaging.Identity.Data;
using CareMessaging.Identity.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIdentityServices();

var app = builder.Build();

// Errors first, so that everything after them answers with ProblemDetails rather than an empty 500.
app.UseErrorResponses();
app.UseForwardedHeaders();
app.UsePathBase(PublicPaths.Base);
app.UseStaticFiles();
app.UseRouting();
app.UseRequestTextValidation();
app.UseTokenRequestForm();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapIdentityOpenApi();
app.MapConnectApi();
app.MapAccountApi();
app.MapEnrolmentApi();
app.MapRazorPages();

await app.MigrateDatabaseAsync<AccountsDbContext>();
await app.PrepareAccountsAsync();
await app.RunAsync();
