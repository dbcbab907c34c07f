using CareMessaging.DeploymentTests.Toolchain;

namespace CareMessaging.DeploymentTests.Chart;

/// <summary>
/// Renders deploy/helm/caremessaging offline with helm (eng/k8s's pinned version) for a Kubernetes
/// version the chart supports, with hospital-values.yaml (a typical installation) and overrides.
/// </summary>
public static class HelmChart
{
    public const string ReleaseName = "caremessaging";
    public const string Namespace = "caremessaging";

    /// <summary>The oldest Kubernetes minor version the chart supports (Chart.yaml kubeVersion).</summary>
    public const string KubeVersion = "1.29.0";

    public static string HospitalValues => Path.Combine(AppContext.BaseDirectory, "Chart", "hospital-values.yaml");

    public static string AppVersion => ChartField("appVersion");

    public static string Version => ChartField("version");

    /// <summary>helm template with hospital-values.yaml, then <paramref name="set"/> (key=value, as --set takes them).</summary>
    public static Task<CommandResult> TemplateAsync(IEnumerable<string>? set = null, IEnumerable<string>? arguments = null) =>
        HelmAsync(
        [
            "template", ReleaseName, Repository.ChartDirectory, "--namespace", Namespace, "--kube-version", KubeVersion,
            "--values", HospitalValues, .. (set ?? []).SelectMany(s => new[] { "--set", s }), .. arguments ?? [],
        ]);

    /// <summary>Renders and loads the result strictly; throws naming helm's error when it does not render.</summary>
    public static async Task<RenderedChart> RenderAsync(IEnumerable<string>? set = null, IEnumerable<string>? arguments = null)
    {
        var result = (await TemplateAsync(set, arguments)).OrThrow("helm template");
        return RenderedChart.Load(result.Output);
    }

    public static async Task<CommandResult> HelmAsync(IEnumerable<string> arguments)
    {
        await Prerequisites.EnsureAsync();
        var home = Path.Combine(Repository.K8sDirectory, "tools", "helm-home");
        return await Commands.RunAsync(Repository.Helm, arguments, TimeSpan.FromMinutes(2), new Dictionary<string, string>
        {
            // helm writes nothing to $HOME, as in eng/k8s/lib.sh's k8s_tools_env.
            ["HELM_CACHE_HOME"] = Path.Combine(home, "cache"),
            ["HELM_CONFIG_HOME"] = Path.Combine(home, "config"),
            ["HELM_DATA_HOME"] = Path.Combine(home, "data"),
        });
    }

    private static string ChartField(string field) =>
        File.ReadLines(Path.Combine(Repository.ChartDirectory, "Chart.yaml"))
            .Where(line => line.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(line => line[(field.Length + 1)..].Trim().Trim('"'))
            .Single();
}
