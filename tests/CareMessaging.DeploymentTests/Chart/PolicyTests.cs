using k8s.Models;

namespace CareMessaging.DeploymentTests.Chart;

/// <summary>
/// The chart's promises to hospital IT (docs/operations/kubernetes.md), checked on the typed
/// objects of a typical installation; and a chart broken in each way fails naming object and field.
/// </summary>
public sealed class PolicyTests
{
    [Fact]
    public async Task A_typical_installation_keeps_every_policy()
    {
        var chart = await HelmChart.RenderAsync();

        Assert.Empty(ChartPolicies.Check(chart, HelmChart.AppVersion));
    }

    [Theory]
    [InlineData("containerSecurityContext.readOnlyRootFilesystem=false", "Deployment/caremessaging-web: spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem must be true")]
    [InlineData("containerSecurityContext.allowPrivilegeEscalation=true", "Deployment/caremessaging-identity: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation must be false")]
    [InlineData("podSecurityContext.seccompProfile.type=Unconfined", "Deployment/caremessaging-audit: spec.template.spec.securityContext.seccompProfile.type must be RuntimeDefault")]
    [InlineData("services.stats.autoscaling.enabled=false", "Deployment/caremessaging-stats: metadata.name is scaled by no HorizontalPodAutoscaler")]
    [InlineData("services.gateway.autoscaling.minReplicas=1", "HorizontalPodAutoscaler/caremessaging-gateway: spec.minReplicas must be at least 2")]
    [InlineData("defaults.resources.limits=null,services.notification.resources.limits=null", "Deployment/caremessaging-notification: spec.template.spec.containers[0].resources.limits.memory must be set")]
    [InlineData("image.tag=2.0.0", "Deployment/caremessaging-conversation: spec.template.spec.containers[0].image must be pinned to the chart's appVersion")]
    [InlineData("networkPolicy.enabled=false", "Deployment/caremessaging-gateway: spec.template.metadata.labels are selected by no NetworkPolicy of their own")]
    public async Task A_broken_chart_fails_naming_object_and_field(string change, string violation)
    {
        var chart = await HelmChart.RenderAsync([change]);

        Assert.Contains(ChartPolicies.Check(chart, HelmChart.AppVersion), v => v.StartsWith(violation, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_latest_tag_is_refused_at_render_time()
    {
        var result = await HelmChart.TemplateAsync(["image.tag=latest"]);

        Assert.False(result.Succeeded);
        Assert.Contains("never latest", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_gateway_is_reachable_from_the_ingress_controller()
    {
        var chart = await HelmChart.RenderAsync();

        var reachableFromOutside = chart.All<V1NetworkPolicy>()
            .Where(p => (p.Spec.Ingress ?? []).SelectMany(r => r.FromProperty ?? []).Any(peer => peer.NamespaceSelector is not null))
            .Select(p => p.Metadata.Name);
        Assert.Equal(["caremessaging-gateway"], reachableFromOutside);
        Assert.Equal("caremessaging-gateway", chart.All<V1Ingress>().Single().Spec.Rules.Single().Http.Paths.Single().Backend.Service.Name);
    }

    [Theory]
    [InlineData("identity", new[] { 8080, 5432, 6379, 5671 })]
    [InlineData("conversation", new[] { 8080, 5432, 5671 })]
    [InlineData("notification", new[] { 8080, 6379, 5671 })]
    [InlineData("audit", new[] { 8080, 5432, 5671 })]
    [InlineData("stats", new[] { 8080, 5432, 5671 })]
    [InlineData("web", new[] { 8080, 6379 })]
    [InlineData("gateway", new[] { 8080, 6379, 5671 })]
    public async Task Each_service_reaches_only_the_services_it_calls_its_own_stores_and_the_broker(string service, int[] ports)
    {
        var chart = await HelmChart.RenderAsync(["telemetry.otlpEndpoint="]);

        var policy = chart.Named<V1NetworkPolicy>($"caremessaging-{service}");

        Assert.Equal(ports.Order(), policy.Spec.Egress.SelectMany(rule => rule.Ports).Select(p => int.Parse(p.Port.Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order());
        foreach (var rule in policy.Spec.Egress)
        {
            // Every rule names its destination: other pods of the release, or the hospital's servers.
            Assert.NotEmpty(rule.To);
        }
    }
}
