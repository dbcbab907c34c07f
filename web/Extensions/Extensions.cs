namespace CareMessaging.Web.Extensions;

internal static class Extensions
{
    public static void AddWebServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorPages();
    }

    public static void UseWebPipeline(this WebApplication app)
    {
        app.UseStaticFiles();
        app.UseRouting();
    }
}
