using CareMessaging.Gateway.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();

app.UseSecurityHeaders();
app.MapDefaultEndpoints();
app.MapReverseProxy();
app.MapUnknownApiRoutes();

await app.RunAsync();
