namespace CareMessaging.DeploymentTests.Chart;

/// <summary>
/// Every document the chart renders loads into KubernetesClient's models with strict loading, and
/// what a cluster would refuse (an unknown field, a wrong type, an API version no longer served)
/// fails with the object and the field named.
/// </summary>
public sealed class StrictLoadingTests
{
    [Fact]
    public async Task Every_rendered_document_loads_strictly()
    {
        var chart = await HelmChart.RenderAsync();

        Assert.Equal(
            ["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Ingress", "NetworkPolicy", "PodDisruptionBudget", "Service", "ServiceAccount"],
            chart.Documents.Select(d => d.Kind).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(7, chart.Documents.Count(d => d.Kind == "Deployment"));
    }

    [Fact]
    public async Task A_misspelt_field_is_refused_naming_object_and_field()
    {
        var yaml = (await HelmChart.TemplateAsync()).Output.Replace("imagePullPolicy:", "imagePullPolcy:", StringComparison.Ordinal);

        var problem = Assert.Throws<ChartProblemException>(() => RenderedChart.Load(yaml));

        Assert.True(
            problem.Problems.Any(p => p.Contains("Deployment/caremessaging-identity", StringComparison.Ordinal) &&
                p.Contains("field spec.template.spec.containers[0].imagePullPolcy", StringComparison.Ordinal)),
            problem.Message);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_refused_naming_object_and_field()
    {
        var yaml = (await HelmChart.TemplateAsync()).Output.Replace("revisionHistoryLimit: 5", "revisionHistoryLimit: five", StringComparison.Ordinal);

        var problem = Assert.Throws<ChartProblemException>(() => RenderedChart.Load(yaml));

        Assert.True(
            problem.Problems.Any(p => p.Contains("Deployment/caremessaging-gateway", StringComparison.Ordinal) &&
                p.Contains("field spec.revisionHistoryLimit", StringComparison.Ordinal)),
            problem.Message);
    }

    [Fact]
    public async Task An_api_version_that_was_removed_is_refused()
    {
        var yaml = (await HelmChart.TemplateAsync()).Output.Replace("apiVersion: policy/v1\n", "apiVersion: policy/v1beta1\n", StringComparison.Ordinal);

        var problem = Assert.Throws<ChartProblemException>(() => RenderedChart.Load(yaml));

        Assert.True(
            problem.Problems.Any(p => p.Contains("PodDisruptionBudget/caremessaging-audit", StringComparison.Ordinal) &&
                p.Contains("policy/v1beta1 PodDisruptionBudget is not served", StringComparison.Ordinal)),
            problem.Message);
    }
}
