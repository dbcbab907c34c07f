using CareMessaging.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.IdentityModel.Tokens;

namespace CareMessaging.EventsBench;

/// <summary>Hosts one service in this process against the benchmark's servers, trusting a key made for this run.</summary>
internal sealed class BenchHost<TEntryPoint>(string audience, IReadOnlyDictionary<string, string?> settings)
    : WebApplicationFactory<TEntryPoint> where TEntryPoint : class
{
    private static readonly SecurityKey Key = TestTokens.NewSigningKey("bench");
    private readonly TestTokens _tokens = new(audience, "https://identity.caremessaging.bench/", Key);

    static BenchHost()
    {
        // Outside a test project there is no generated content-root hint: the service's files are in this output folder.
        var assembly = typeof(TEntryPoint).Assembly.GetName().Name!.ToUpperInvariant().Replace('.', '_');
        Environment.SetEnvironmentVariable($"ASPNETCORE_TEST_CONTENTROOT_{assembly}", AppContext.BaseDirectory);
    }

    public string Token(string userId, string role) => _tokens.Person(userId, role, lifetime: TimeSpan.FromHours(1));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "None");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(_tokens.Trust);
    }
}
