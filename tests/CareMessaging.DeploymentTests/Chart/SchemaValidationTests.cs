using CareMessaging.DeploymentTests.Toolchain;

namespace CareMessaging.DeploymentTests.Chart;

/// <summary>
/// The rendered documents against the Kubernetes OpenAPI schema (kubernetes-models, run by
/// eng/k8s/validate-k8s.mjs under node): required fields, types and formats, plus an image for
/// every container, which the schema leaves optional.
/// </summary>
public sealed class SchemaValidationTests
{
    [Fact]
    public async Task Every_rendered_document_satisfies_the_schema()
    {
        var result = await ValidateAsync((await HelmChart.TemplateAsync()).OrThrow("helm template").Output);

        Assert.True(result.Succeeded, result.Error + result.Output);
        Assert.Matches(@"^\d+ documents, 0 errors", result.Output.Trim());
    }

    [Fact]
    public async Task A_container_without_a_name_is_refused_naming_the_object_and_field()
    {
        var yaml = (await HelmChart.TemplateAsync()).Output.Replace("- name: audit\n          image:", "- image:", StringComparison.Ordinal);

        var result = await ValidateAsync(yaml);

        Assert.False(result.Succeeded);
        Assert.Matches(@"Deployment/caremessaging-audit: .*containers/0 must have required property name", result.Error);
    }

    [Fact]
    public async Task A_container_without_an_image_is_refused()
    {
        var yaml = (await HelmChart.TemplateAsync()).Output.Replace(
            $"image: \"registry.hospital.example/caremessaging/stats:{HelmChart.AppVersion}\"", string.Empty, StringComparison.Ordinal);

        var result = await ValidateAsync(yaml);

        Assert.False(result.Succeeded);
        Assert.Contains("Deployment/caremessaging-stats: container 'stats' has no image", result.Error, StringComparison.Ordinal);
    }

    private static async Task<CommandResult> ValidateAsync(string yaml)
    {
        var file = Path.Combine(Path.GetTempPath(), $"caremessaging-chart-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            return await Commands.RunAsync(
                "node", [Path.Combine(Repository.Root, "eng", "k8s", "validate-k8s.mjs"), file], TimeSpan.FromMinutes(1),
                new Dictionary<string, string> { ["K8S_MODELS_DIR"] = Repository.ValidatorModules });
        }
        finally
        {
            File.Delete(file);
        }
    }
}
