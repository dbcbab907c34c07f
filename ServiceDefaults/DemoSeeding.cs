using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace CareMessaging.ServiceDefaults;

/// <summary>
/// Whether a service loads the demo data (<c>Seed:Demo</c>). The demo accounts share a password
/// published in the README, so they must never exist outside a local run: seeding happens only
/// when asked for, and asking for it anywhere but in Development stops the service at start.
/// </summary>
public static class DemoSeeding
{
    public const string Setting = "Seed:Demo";

    public static bool IsRequested(IConfiguration configuration, IHostEnvironment environment)
    {
        if (!configuration.GetValue<bool>(Setting))
        {
            return false;
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"{Setting} is true in the {environment.EnvironmentName} environment. The demo accounts have a published password " +
                $"and are for local runs only: remove {Setting} (Seed__Demo) from this deployment's configuration.");
        }

        return true;
    }
}
