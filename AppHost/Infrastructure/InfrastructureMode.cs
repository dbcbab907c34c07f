using System.Diagnostics;

namespace CareMessaging.AppHost.Infrastructure;

/// <summary>Where PostgreSQL, Redis and RabbitMQ come from.</summary>
public enum InfrastructureMode
{
    /// <summary>Debian's packages run as local processes; no container engine needed.</summary>
    Processes,

    /// <summary>Aspire's container images with named volumes.</summary>
    Containers,

    /// <summary>Servers run by someone else (managed services, the hospital's own); connection strings are parameters.</summary>
    External,
}

/// <summary>Reads <c>Infrastructure:Mode</c>, or picks one when it is not set.</summary>
public static class InfrastructureModeSelector
{
    public const string ConfigurationKey = "Infrastructure:Mode";

    public static InfrastructureMode Select(IConfiguration configuration)
    {
        var configured = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return ContainerRuntimeAnswers() ? InfrastructureMode.Containers : InfrastructureMode.Processes;
        }

        return Enum.TryParse<InfrastructureMode>(configured, ignoreCase: true, out var mode)
            ? mode
            : throw new InvalidOperationException(
                $"{ConfigurationKey} is '{configured}'. Use one of: processes, containers, external.");
    }

    /// <summary>
    /// True when a Docker or Podman engine answers within a few seconds. A client binary alone
    /// (common on locked-down build agents) does not count.
    /// </summary>
    private static bool ContainerRuntimeAnswers()
    {
        foreach (var runtime in new[] { "docker", "podman" })
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(runtime, "info --format {{.ServerVersion}}")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                });
                if (process is null)
                {
                    continue;
                }

                if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
                {
                    process.Kill(entireProcessTree: true);
                    continue;
                }

                if (process.ExitCode == 0)
                {
                    return true;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed.
            }
        }

        return false;
    }
}
