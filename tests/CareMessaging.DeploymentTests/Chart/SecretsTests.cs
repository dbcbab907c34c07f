using CareMessaging.DeploymentTests.Toolchain;
using k8s.Models;

namespace CareMessaging.DeploymentTests.Chart;

/// <summary>
/// Connection strings, keys and client secrets come only from Kubernetes Secrets: the chart has no
/// default for any of them and refuses to render without a source.
/// </summary>
public sealed class SecretsTests
{
    private static readonly string[] SecretKeys =
    [
        "auditdb", "conversation-encryption-key-k1", "conversationdb", "gateway-client-secret", "gateway-data-protection-key",
        "identity-encryption-key", "identity-signing-key", "identitydb", "messaging", "notification-client-secret", "redis", "sessions",
        "stats-client-secret", "statsdb",
    ];

    [Fact]
    public async Task Without_a_source_for_the_secrets_the_chart_does_not_render()
    {
        var result = await HelmChart.TemplateAsync(["secrets.existingSecret="]);

        Assert.False(result.Succeeded);
        Assert.Contains("has no source: set secrets.existingSecret", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_secret_is_read_and_no_secret_is_rendered()
    {
        var chart = await HelmChart.RenderAsync();

        Assert.Empty(chart.All<V1Secret>());
        var references = chart.All<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers).SelectMany(c => c.Env ?? [])
            .Select(e => e.ValueFrom.SecretKeyRef).ToList();
        Assert.All(references, r => Assert.Equal("caremessaging", r.Name));
        Assert.Equal(SecretKeys, references.Select(r => r.Key).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_created_secret_needs_every_value_and_names_the_one_missing()
    {
        var given = SecretKeys.Where(k => k != "statsdb").Select(k => $"secrets.values.{k}=given");

        var result = await HelmChart.TemplateAsync(["secrets.existingSecret=", "secrets.create=true", .. given]);

        Assert.False(result.Succeeded);
        Assert.Contains("secrets.values.statsdb is required", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_value_can_come_from_another_secret()
    {
        var chart = await HelmChart.RenderAsync(["secrets.refs.conversationdb.name=conversation-pg-app", "secrets.refs.conversationdb.key=uri"]);

        var reference = chart.Named<V1Deployment>("caremessaging-conversation").Spec.Template.Spec.Containers.Single().Env
            .Single(e => e.Name == "ConnectionStrings__conversationdb").ValueFrom.SecretKeyRef;
        Assert.Equal(("conversation-pg-app", "uri"), (reference.Name, reference.Key));
    }

    [Fact]
    public async Task A_new_encryption_key_is_read_beside_the_old_one_during_rotation()
    {
        var chart = await HelmChart.RenderAsync(["conversation.encryption.keyIds={k1,k2}", "conversation.encryption.activeKeyId=k2"]);

        var container = chart.Named<V1Deployment>("caremessaging-conversation").Spec.Template.Spec.Containers.Single();
        Assert.Equal(
            ["conversation-encryption-key-k1", "conversation-encryption-key-k2"],
            container.Env.Where(e => e.Name.StartsWith("Encryption__Keys__", StringComparison.Ordinal)).Select(e => e.ValueFrom.SecretKeyRef.Key));
        Assert.Equal("k2", chart.Named<V1ConfigMap>("caremessaging-conversation").Data["Encryption__ActiveKeyId"]);
    }

    [Fact]
    public void The_default_values_hold_no_secret()
    {
        var values = File.ReadAllText(Path.Combine(Repository.ChartDirectory, "values.yaml"));

        Assert.Contains("  values: {}\n", values, StringComparison.Ordinal);
        Assert.Contains("  existingSecret: \"\"\n", values, StringComparison.Ordinal);
        Assert.DoesNotContain("password", values.Replace("passwords", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }
}
