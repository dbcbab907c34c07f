using CareMessaging.Clients;
using CareMessaging.Contracts;
using CareMessaging.ServiceDefaults;
using CareMessaging.Web.Authentication;
using CareMessaging.Web.Errors;
using CareMessaging.Web.Pages.Shared;
using CareMessaging.Web.Dashboard;
using CareMessaging.Web.Display;

namespace CareMessaging.Web.Extensions;

internal static class Extensions
{
    public static void AddWebServices(this IHostApplicationBuilder builder)
    {
        builder.AddWebAuthentication();
        // The forms' anti-forgery tokens must be readable by every replica.
        builder.AddRedisClient(ResourceNames.Redis);
        builder.AddSharedDataProtection(ResourceNames.Web);

        builder.Services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/Inbox", Policies.CareTeam);
            options.Conventions.AuthorizeFolder("/Patients", Policies.CareTeam);
            options.Conventions.AuthorizeFolder("/Portal", Policies.Patient);
            options.Conventions.AuthorizeFolder("/Notifications", Policies.Participant);
            options.Conventions.AllowAnonymousToPage("/Index");
        });
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "cm-antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
        });

        // Browsers get error pages; every other client keeps the shared ProblemDetails.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, BrowserErrorPageWriter>());

        // The services, by their service-discovery names, called with the user's own token.
        builder.Services.AddHttpClient<ConversationsClient>(http => http.BaseAddress = ServiceAddress(ResourceNames.Conversation))
            .AddHttpMessageHandler<AccessTokenForwarding>();
        builder.Services.AddHttpClient<StatsClient>(http => http.BaseAddress = ServiceAddress(ResourceNames.Stats))
            .AddHttpMessageHandler<AccessTokenForwarding>();
        builder.Services.AddHttpClient<NotificationsClient>(http => http.BaseAddress = ServiceAddress(ResourceNames.Notification))
            .AddHttpMessageHandler<AccessTokenForwarding>();
        builder.Services.AddScoped<DashboardLoader>();
        builder.Services.AddScoped<ThreadLoader>();
        builder.Services.AddScoped<Replies>();
        // Read at start, so that a mistyped time zone stops the app instead of every page.
        builder.Services.AddSingleton(new DisplayTime(builder.Configuration));
    }

    public static void MapWebFrontEnd(this WebApplication app)
    {
        // Stylesheets and scripts are public: the sign-in and error pages need them too.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorPages();
    }

    private static Uri ServiceAddress(string resourceName) => new($"http://{resourceName}");
}
