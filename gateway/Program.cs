using CareMessaging.Gateway.Apis;
using CareMessaging.Gateway.Extensions;
using CareMessaging.Gateway.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();

app.UseSecurityHeaders();
app.UseRequestBodyLimit();
app.MapDefaultEndpoints();
app.UseCsrfProtection();
app.MapSignInApi();
app.MapSessionApi();
app.MapGatewayProxy();
app.MapUnknownApiRoutes();

await app.RunAsync();
