namespace CareMessaging.DeploymentTests.Toolchain;

/// <summary>Where the repository and the deployment toolchain's state are on this machine.</summary>
public static class Repository
{
    private static readonly Lazy<string> FoundRoot = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CareMessaging.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("CareMessaging.sln was not found above the test assembly.");
    });

    public static string Root => FoundRoot.Value;

    public static string ChartDirectory => Path.Combine(Root, "deploy", "helm", "caremessaging");

    /// <summary>The toolchain's caches and work folders (eng/k8s/lib.sh's K8S_WORK).</summary>
    public static string K8sDirectory =>
        Environment.GetEnvironmentVariable("CM_K8S_DIR") is { Length: > 0 } configured ? configured : Path.Combine(Root, "artifacts", "k8s");

    public static string Helm => Path.Combine(K8sDirectory, "tools", "bin", "helm");

    /// <summary>The folder whose node_modules hold kubernetes-models and yaml.</summary>
    public static string ValidatorModules => Path.Combine(K8sDirectory, "tools", "validate");
}
