using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CareMessaging.EventServiceTests.Infrastructure;

/// <summary>
/// Hosts one service in the test process against the real servers of <see cref="EventServicesFixture"/>,
/// trusting <see cref="EventServicesFixture.Tokens"/> instead of the Identity service's published keys.
/// </summary>
/// <typeparam name="TEntryPoint">Any type of the service's assembly (every service's Program is global, so they cannot be told apart by name).</typeparam>
public sealed class ServiceFactory<TEntryPoint>(
    string audience,
    IReadOnlyDictionary<string, string?> settings,
    Action<IServiceCollection>? configureServices = null) : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    public string Audience { get; } = audience;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        // Warnings and errors only: what explains a failure (a migration's first look for its history table is logged as an error; it is not one).
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "None");
        builder.ConfigureTestServices(services =>
        {
            EventServicesFixture.Tokens.Trust(services);
            configureServices?.Invoke(services);
        });
    }

    /// <summary>A client calling as <paramref name="user"/> (no Authorization header when null).</summary>
    public HttpClient CreateClient(TestUser? user)
    {
        var client = CreateClient();
        client.Timeout = CareMessaging.Testing.TestTimeouts.Request;
        if (user is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(user));
        }

        return client;
    }

    /// <summary>An access token for this service as <paramref name="user"/>.</summary>
    public string TokenFor(TestUser user) =>
        EventServicesFixture.Tokens.ForAudience(Audience).Person(user.Id, user.Role, user.CareTeams, user.PatientId);
}
