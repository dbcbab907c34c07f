using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CareMessaging.UnitTests.ServiceDefaults;

public sealed class RequestAddressLoggingTests
{
    [Fact]
    public void Request_addresses_are_not_logged_below_Warning_however_the_levels_are_raised()
    {
        using var provider = Services(new()
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Debug",
            ["Logging:Console:LogLevel:Default"] = "Trace",
            ["Logging:Console:LogLevel:Yarp.ReverseProxy.Forwarder.HttpForwarder"] = "Information",
        });
        var loggers = provider.GetRequiredService<ILoggerFactory>();

        foreach (var category in new[] { "Microsoft.AspNetCore.Hosting.Diagnostics", "Yarp.ReverseProxy.Forwarder.HttpForwarder" })
        {
            var logger = loggers.CreateLogger(category);
            Assert.False(logger.IsEnabled(LogLevel.Information), $"{category} logs request addresses at Information");
            Assert.True(logger.IsEnabled(LogLevel.Warning), $"{category} no longer reports failures");
        }

        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Routing.EndpointMiddleware").IsEnabled(LogLevel.Information));
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddConsole());
        services.KeepRequestAddressesOutOfLogs();
        return services.BuildServiceProvider();
    }
}
