using CareMessaging.Notification.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNotificationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapNotificationOpenApi();

await app.RunAsync();
