using CareMessaging.Gateway.Apis;
using CareMessaging.Gateway.Extensions;
using CareMessaging.Gateway.Limits;
using CareMessaging.Gateway.Security;
using CareMessaging.Gateway.Sessions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();

app.UseErrorResponses();
app.UseForwardedHeadersFromTrustedProxies();
app.UseSecurityHeaders();
app.UseLoadShedding();
app.UseRequestBodyLimit();
app.UseRequestTextValidation(bodies: false);
app.UseSessionStoreOutages();
// Anti-forgery tokens are bound to the signed-in user, so the session is read and the route's
// policy applied first (a caller without a session gets 401); a forged request is then refused
// before any endpoint, the proxy included, sees it.
app.UseAuthentication();
app.UseUserRateLimits();
app.UseAuthorization();
app.UseCsrfProtection();
app.MapDefaultEndpoints();
app.MapSignInApi();
app.MapSessionApi();
app.MapGatewayProxy();
app.MapUnknownApiRoutes();

app.PrepareSessionStore();
await app.RunAsync();
