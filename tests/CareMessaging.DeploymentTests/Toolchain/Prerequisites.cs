namespace CareMessaging.DeploymentTests.Toolchain;

/// <summary>
/// Installs what the deployment checks need when it is missing (test.sh has done so already; this
/// makes `dotnet test tests/CareMessaging.DeploymentTests` work alone too). Once per test run.
/// </summary>
public static class Prerequisites
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _installed;

    public static async Task EnsureAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_installed)
            {
                return;
            }

            (await Commands.BashAsync("cm_install_deployment_prerequisites", TimeSpan.FromMinutes(10)))
                .OrThrow("Installing the Kubernetes toolchain (eng/k8s/prerequisites.sh)");
            _installed = true;
        }
        finally
        {
            Gate.Release();
        }
    }
}
