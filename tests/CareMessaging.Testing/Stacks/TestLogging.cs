using Microsoft.Extensions.Logging;

namespace CareMessaging.Testing;

/// <summary>
/// Keeps test output to what explains a failure: warnings and errors of the host and resources,
/// without the expected "not healthy yet" reports of servers that are still starting.
/// </summary>
public static class TestLogging
{
    public static void Configure(ILoggingBuilder logging) => logging
        .SetMinimumLevel(LogLevel.Warning)
        .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
        .AddFilter("Aspire.Hosting.Health", LogLevel.None);
}
