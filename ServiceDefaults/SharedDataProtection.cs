using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// One data-protection key ring per service, kept in Redis, so that every replica can read the
/// cookies and anti-forgery tokens another replica issued. Without it each process makes its own
/// keys in memory (the container's home is read-only), and a form served by one replica is refused
/// by the next. The caller registers the Redis client (AddRedisClient) first.
/// </summary>
public static class SharedDataProtection
{
    public static IHostApplicationBuilder AddSharedDataProtection(this IHostApplicationBuilder builder, string service)
    {
        builder.Services.AddDataProtection().SetApplicationName($"CareMessaging.{char.ToUpperInvariant(service[0])}{service[1..]}");
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, services) =>
            options.XmlRepository = new RedisXmlRepository(
                () => services.GetRequiredService<IConnectionMultiplexer>().GetDatabase(), $"cm:{service}:data-protection-keys"));
        return builder;
    }
}
