using k8s.Models;

namespace CareMessaging.DeploymentTests.Chart;

/// <summary>
/// In a deployment the connections to the hospital's PostgreSQL, Redis and RabbitMQ are encrypted
/// by default: every service is told to refuse a connection string that does not encrypt and check
/// the server, and the authority that signed the servers' certificates is mounted from its Secret
/// (ADR 0056).
/// </summary>
public sealed class StoreTlsTests
{
    private const string AuthorityPath = "/etc/caremessaging/store-ca/ca.crt";

    [Fact]
    public async Task By_default_every_service_requires_TLS_to_its_stores_and_trusts_the_mounted_authority()
    {
        var chart = await HelmChart.RenderAsync();

        foreach (var deployment in chart.All<V1Deployment>())
        {
            var pod = deployment.Spec.Template.Spec;
            var container = pod.Containers.Single();
            var config = chart.Named<V1ConfigMap>(container.EnvFrom.Single().ConfigMapRef.Name).Data;
            Assert.Equal("true", config["StoreTls__Required"]);
            Assert.Equal(AuthorityPath, config["StoreTls__CertificateAuthority"]);

            var mount = Assert.Single(container.VolumeMounts, m => m.Name == "store-ca");
            Assert.Equal(Path.GetDirectoryName(AuthorityPath), mount.MountPath);
            Assert.True(mount.ReadOnlyProperty);
            var secret = Assert.Single(pod.Volumes, v => v.Name == "store-ca").Secret;
            Assert.Equal("hospital-store-ca", secret.SecretName);
            Assert.Equal(("ca.crt", "ca.crt"), (secret.Items.Single().Key, secret.Items.Single().Path));
        }
    }

    [Fact]
    public async Task The_authority_can_come_from_another_key_and_without_one_the_system_trust_store_is_used()
    {
        var otherKey = await HelmChart.RenderAsync(["storeTls.caSecretKey=tls.crt"]);
        var systemTrust = await HelmChart.RenderAsync(["storeTls.caSecretName="]);

        Assert.All(otherKey.All<V1Deployment>(), d => Assert.Equal(
            ("tls.crt", "ca.crt"),
            d.Spec.Template.Spec.Volumes.Where(v => v.Name == "store-ca").Select(v => (v.Secret.Items.Single().Key, v.Secret.Items.Single().Path)).Single()));
        foreach (var deployment in systemTrust.All<V1Deployment>())
        {
            var container = deployment.Spec.Template.Spec.Containers.Single();
            var config = systemTrust.Named<V1ConfigMap>(container.EnvFrom.Single().ConfigMapRef.Name).Data;
            Assert.Equal("true", config["StoreTls__Required"]);
            Assert.False(config.ContainsKey("StoreTls__CertificateAuthority"));
            Assert.DoesNotContain(deployment.Spec.Template.Spec.Volumes, v => v.Name == "store-ca");
        }
    }

    [Fact]
    public async Task Turned_off_the_services_take_the_connection_strings_as_given()
    {
        var chart = await HelmChart.RenderAsync(["storeTls.required=false"]);

        Assert.All(chart.All<V1ConfigMap>(), config => Assert.Equal("false", config.Data["StoreTls__Required"]));
    }
}
