using CareMessaging.Contracts;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace CareMessaging.Web.Authentication;

/// <summary>
/// The front end is a resource server like the APIs: the gateway holds the browser's session and
/// relays the user's access token on every request. A browser without one is sent to sign in.
/// </summary>
internal static class WebAuthentication
{
    public static void AddWebAuthentication(this IHostApplicationBuilder builder)
    {
        builder.AddDefaultAuthentication(ResourceNames.Web);
        builder.Services.AddSingleton<IPostConfigureOptions<JwtBearerOptions>, SignInRedirect>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<AccessTokenForwarding>();
    }

    private sealed class SignInRedirect : IPostConfigureOptions<JwtBearerOptions>
    {
        public void PostConfigure(string? name, JwtBearerOptions options)
        {
            options.Events ??= new JwtBearerEvents();
            options.Events.OnChallenge = context =>
            {
                if (!context.Request.IsPageNavigation())
                {
                    return Task.CompletedTask;
                }

                // A page without a (valid) token: the gateway signs the user in and brings them back here.
                context.HandleResponse();
                context.Response.Redirect(BrowserRequests.SignInUrl(context.Request.ReturnUrl()));
                return Task.CompletedTask;
            };
        }
    }
}

/// <summary>
/// Passes the access token the gateway relayed with the current request on to the services, so
/// that each applies its own access rules to the signed-in user.
/// </summary>
internal sealed class AccessTokenForwarding(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var authorization = accessor.HttpContext?.Request.Headers.Authorization.ToString();
        if (authorization is { Length: > 7 } && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
