using System.Net;
using System.Text;
using System.Text.Json;
using CareMessaging.DeploymentTests.Chart;
using k8s;
using k8s.Models;

namespace CareMessaging.DeploymentTests.Podman;

/// <summary>One pod that podman runs for a replica of a Deployment.</summary>
public sealed record PlannedPod(string Service, int Replica, string Name, IPAddress Address)
{
    /// <summary>podman names a pod's container &lt;pod&gt;-&lt;container&gt;.</summary>
    public string Container => $"{Name}-{Service}";

    public Uri Url => new($"http://{Address}:8080");
}

/// <summary>
/// Turns the chart's rendering into what podman 4.3's `kube play` runs, changing only what podman
/// cannot do (docs/operations/kubernetes.md, "What podman runs"): each Deployment becomes one Pod
/// per replica (its HPA's minReplicas) with a fixed address; Service names and the stores' host
/// resolve through hostAliases (podman ignores Services); probes and container ports are dropped
/// (podman would make systemd healthchecks of the one and publish the other on the host); each
/// emptyDir is named after its pod (podman shares an emptyDir between pods by name); Secrets
/// become podman secrets holding the JSON of their data, which is how 4.3 reads them.
/// The containers' images, environment, ConfigMaps, security contexts and resources are the chart's.
/// </summary>
public sealed class PodmanPlan
{
    private PodmanPlan(string playYaml, IReadOnlyList<PlannedPod> pods) => (PlayYaml, Pods) = (playYaml, pods);

    public string PlayYaml { get; }

    public IReadOnlyList<PlannedPod> Pods { get; }

    public IEnumerable<PlannedPod> Of(string service) => Pods.Where(p => p.Service == service);

    /// <param name="chart">The rendering.</param>
    /// <param name="firstPodAddress">Pods get this address and the ones after it, in the order of <see cref="Pods"/>.</param>
    /// <param name="hosts">Host name to address: the Services' stand-in addresses and the stores' host.</param>
    public static PodmanPlan For(RenderedChart chart, IPAddress firstPodAddress, IReadOnlyDictionary<string, IPAddress> hosts)
    {
        var documents = new List<object>(chart.All<V1ConfigMap>());
        var pods = new List<PlannedPod>();
        var next = BitConverter.ToUInt32(firstPodAddress.GetAddressBytes().Reverse().ToArray());
        foreach (var deployment in chart.All<V1Deployment>())
        {
            var service = deployment.Spec.Template.Metadata.Labels["app.kubernetes.io/component"];
            var replicas = chart.All<V2HorizontalPodAutoscaler>().FirstOrDefault(h => h.Spec.ScaleTargetRef.Name == deployment.Metadata.Name)?.Spec.MinReplicas
                ?? deployment.Spec.Replicas ?? 1;
            for (var replica = 0; replica < replicas; replica++)
            {
                var name = $"{deployment.Metadata.Name}-{replica}";
                var address = new IPAddress(BitConverter.GetBytes(next++).Reverse().ToArray());
                pods.Add(new PlannedPod(service, replica, name, address));
                documents.Add(Pod(deployment, name, hosts));
            }
        }

        var yaml = string.Join("---\n", documents.Select(d => KubernetesYaml.Serialize(d).TrimEnd('\n') + "\n"));
        return new PodmanPlan(yaml, pods);
    }

    /// <summary>Each rendered Secret as podman 4.3 wants it: the JSON object of its base64 data.</summary>
    public static IReadOnlyDictionary<string, string> SecretsAsJson(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> secrets) =>
        secrets.ToDictionary(
            s => s.Key,
            s => JsonSerializer.Serialize(s.Value.ToDictionary(v => v.Key, v => Convert.ToBase64String(Encoding.UTF8.GetBytes(v.Value)))));

    private static V1Pod Pod(V1Deployment deployment, string name, IReadOnlyDictionary<string, IPAddress> hosts)
    {
        var template = deployment.Spec.Template;
        var spec = KubernetesJson.Deserialize<V1PodSpec>(KubernetesJson.Serialize(template.Spec));
        spec.HostAliases = hosts.GroupBy(h => h.Value)
            .Select(group => new V1HostAlias { Ip = group.Key.ToString(), Hostnames = group.Select(h => h.Key).Order(StringComparer.Ordinal).ToList() })
            .ToList();
        spec.TopologySpreadConstraints = null;
        foreach (var container in spec.Containers)
        {
            container.StartupProbe = container.ReadinessProbe = container.LivenessProbe = null;
            container.Ports = null;
            foreach (var mount in container.VolumeMounts ?? [])
            {
                if (spec.Volumes?.FirstOrDefault(v => v.Name == mount.Name)?.EmptyDir is not null)
                {
                    mount.Name = $"{name}-{mount.Name}";
                }
            }
        }

        foreach (var volume in spec.Volumes ?? [])
        {
            if (volume.EmptyDir is not null)
            {
                volume.Name = $"{name}-{volume.Name}";
            }
        }

        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = name, Labels = template.Metadata.Labels },
            Spec = spec,
        };
    }
}
