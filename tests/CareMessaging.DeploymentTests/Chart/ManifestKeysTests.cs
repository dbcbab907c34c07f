using System.Text.RegularExpressions;
using CareMessaging.Contracts;
using k8s.Models;

namespace CareMessaging.DeploymentTests.Chart;

/// <summary>
/// The chart is the AppHost's External mode in Kubernetes form: every environment key the AppHost
/// gives a project is set by the chart for that service, and every one that carries a secret
/// parameter comes from a Secret, so the two cannot drift apart.
/// </summary>
public sealed partial class ManifestKeysTests
{
    [Fact]
    public async Task Every_setting_the_AppHost_gives_a_service_is_set_by_the_chart()
    {
        var projects = await AspireManifest.ProjectsAsync();
        var chart = await HelmChart.RenderAsync();

        var missing = new List<string>();
        foreach (var project in projects)
        {
            var keys = ChartEnvironment(chart, project.Name).Keys.ToHashSet(StringComparer.Ordinal);
            missing.AddRange(project.Environment.Keys.Where(key => !HttpsBinding().IsMatch(key) && !keys.Contains(key))
                .Select(key => $"{project.Name}: {key}"));
        }

        Assert.Equal(ResourceNames.Projects.Order(StringComparer.Ordinal), projects.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Empty(missing);
    }

    [Fact]
    public async Task Every_secret_the_AppHost_gives_a_service_comes_from_a_Secret()
    {
        var projects = await AspireManifest.ProjectsAsync();
        var chart = await HelmChart.RenderAsync();

        var wrong = new List<string>();
        foreach (var project in projects)
        {
            var environment = ChartEnvironment(chart, project.Name);
            wrong.AddRange(project.SecretKeys.Where(key => environment.GetValueOrDefault(key) != Source.Secret)
                .Select(key => $"{project.Name}: {key} is {environment.GetValueOrDefault(key).ToString().ToLowerInvariant()}"));
        }

        Assert.Contains(projects, p => p.SecretKeys.Contains("Identity__SigningKey"));
        Assert.Empty(wrong);
    }

    /// <summary>
    /// Inside the cluster the services speak plain HTTP (TLS ends at the ingress, ADR 0053): the
    /// https endpoints of the local launch profiles have no counterpart, so service discovery must
    /// not be given one.
    /// </summary>
    [Fact]
    public async Task No_service_is_given_an_https_address_inside_the_cluster()
    {
        var chart = await HelmChart.RenderAsync();

        foreach (var deployment in chart.All<V1Deployment>())
        {
            var name = deployment.Metadata.Name["caremessaging-".Length..];
            Assert.DoesNotContain(ChartEnvironment(chart, name).Keys, key => HttpsBinding().IsMatch(key));
        }
    }

    private enum Source
    {
        Missing,
        ConfigMap,
        Value,
        Secret,
    }

    /// <summary>The environment the chart gives a service's container: its ConfigMap (envFrom) and its env entries.</summary>
    private static Dictionary<string, Source> ChartEnvironment(RenderedChart chart, string service)
    {
        var container = chart.Named<V1Deployment>($"caremessaging-{service}").Spec.Template.Spec.Containers.Single();
        var environment = new Dictionary<string, Source>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            foreach (var key in chart.Named<V1ConfigMap>(source.ConfigMapRef.Name).Data.Keys)
            {
                environment[key] = Source.ConfigMap;
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            environment[variable.Name] = variable.ValueFrom?.SecretKeyRef is not null ? Source.Secret : Source.Value;
        }

        return environment;
    }

    [GeneratedRegex(@"(^[A-Z]+_HTTPS$)|(^services__[a-z]+__https__\d+$)")]
    private static partial Regex HttpsBinding();
}
