using System.Security.Cryptography;
using CareMessaging.Contracts;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CareMessaging.EventsBench;

/// <summary>Hosts one service in this process against the benchmark's servers, trusting a key made for this run.</summary>
internal sealed class BenchHost<TEntryPoint>(string audience, IReadOnlyDictionary<string, string?> settings)
    : WebApplicationFactory<TEntryPoint> where TEntryPoint : class
{
    private const string Issuer = "https://identity.caremessaging.bench/";
    private static readonly RsaSecurityKey Key = new(RSA.Create(2048));

    static BenchHost()
    {
        // Outside a test project there is no generated content-root hint: the service's files are in this output folder.
        var assembly = typeof(TEntryPoint).Assembly.GetName().Name!.ToUpperInvariant().Replace('.', '_');
        Environment.SetEnvironmentVariable($"ASPNETCORE_TEST_CONTENTROOT_{assembly}", AppContext.BaseDirectory);
    }

    public string Token(string userId, string role) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = audience,
        Claims = new Dictionary<string, object> { [CareMessagingClaims.Subject] = userId, [CareMessagingClaims.Role] = role },
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256),
    });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "None");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            options.Authority = null;
            var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
            configuration.SigningKeys.Add(Key);
            options.Configuration = configuration;
            options.TokenValidationParameters.ValidIssuer = Issuer;
            options.TokenValidationParameters.IssuerSigningKey = Key;
        }));
    }
}
