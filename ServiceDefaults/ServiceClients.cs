using CareMessaging.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Lets a service call another with a client-credentials access token:
/// <c>builder.Services.AddHttpClient&lt;ReadModelClient&gt;(...).AddServiceClientToken()</c>.
/// The token is fetched from the authority, cached until shortly before it expires and shared by
/// every client of the process.
/// </summary>
public static class ServiceClients
{
    public const string TokenHttpClientName = "caremessaging-service-client-token";

    public static IHttpClientBuilder AddServiceClientToken(this IHttpClientBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ServiceClientOptions>().BindConfiguration(ServiceClientOptions.SectionName);
        services.AddHttpClient(TokenHttpClientName);
        services.TryAddSingleton<ServiceClientTokenSource>();
        services.TryAddTransient<ServiceClientTokenHandler>();
        return builder.AddHttpMessageHandler<ServiceClientTokenHandler>();
    }
}
