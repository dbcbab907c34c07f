using CareMessaging.Notification.Apis;
using CareMessaging.Notification.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNotificationServices();

var app = builder.Build();

app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapNotificationOpenApi();
app.MapNotificationsApi();

await app.RunAsync();
