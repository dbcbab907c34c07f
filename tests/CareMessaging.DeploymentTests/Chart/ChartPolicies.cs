using k8s.Models;

namespace CareMessaging.DeploymentTests.Chart;

/// <summary>
/// What the chart promises hospital IT, checked on the typed objects of a rendering. Each
/// violation names the object and the field, e.g.
/// "Deployment/caremessaging-web: spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem must be true".
/// </summary>
public static class ChartPolicies
{
    private static readonly string[] SecretLikeNames = ["secret", "password", "signingkey", "encryptionkey", "connectionstrings__", "encryption__keys__"];

    public static IReadOnlyList<string> Check(RenderedChart chart, string appVersion)
    {
        var violations = new List<string>();
        foreach (var deployment in chart.All<V1Deployment>())
        {
            CheckDeployment(chart, deployment, appVersion, violations);
        }

        CheckExposure(chart, violations);
        CheckConfigMaps(chart, violations);
        return violations;
    }

    private static void CheckDeployment(RenderedChart chart, V1Deployment deployment, string appVersion, List<string> violations)
    {
        var at = $"Deployment/{deployment.Metadata.Name}";
        void Fail(string field, string problem) => violations.Add($"{at}: {field} {problem}");

        var labels = deployment.Spec.Template.Metadata.Labels ?? new Dictionary<string, string>();
        if (!chart.All<V1PodDisruptionBudget>().Any(pdb => Selects(pdb.Spec.Selector, labels)))
        {
            Fail("spec.template.metadata.labels", "are selected by no PodDisruptionBudget");
        }

        var hpa = chart.All<V2HorizontalPodAutoscaler>().FirstOrDefault(h =>
            h.Spec.ScaleTargetRef is { Kind: "Deployment" } target && target.Name == deployment.Metadata.Name);
        if (hpa is null)
        {
            Fail("metadata.name", "is scaled by no HorizontalPodAutoscaler");
        }
        else if (hpa.Spec.MinReplicas is not >= 2)
        {
            violations.Add($"HorizontalPodAutoscaler/{hpa.Metadata.Name}: spec.minReplicas must be at least 2");
        }

        var policies = chart.All<V1NetworkPolicy>().Where(p => Selects(p.Spec.PodSelector, labels)).ToList();
        if (!policies.Any(p => p.Spec.PodSelector.MatchLabels?.ContainsKey("app.kubernetes.io/component") == true))
        {
            Fail("spec.template.metadata.labels", "are selected by no NetworkPolicy of their own");
        }

        if (!policies.Any(IsDenyAll))
        {
            Fail("spec.template.metadata.labels", "are not covered by a deny-all NetworkPolicy (ingress and egress, no rules)");
        }

        var pod = deployment.Spec.Template.Spec;
        if (pod.AutomountServiceAccountToken != false)
        {
            Fail("spec.template.spec.automountServiceAccountToken", "must be false");
        }

        var account = chart.All<V1ServiceAccount>().FirstOrDefault(a => a.Metadata.Name == pod.ServiceAccountName);
        if (account is null)
        {
            Fail("spec.template.spec.serviceAccountName", $"names no ServiceAccount of the chart ('{pod.ServiceAccountName}')");
        }
        else if (account.AutomountServiceAccountToken != false)
        {
            violations.Add($"ServiceAccount/{account.Metadata.Name}: automountServiceAccountToken must be false");
        }

        if (chart.All<V1Deployment>().Count(d => d.Spec.Template.Spec.ServiceAccountName == pod.ServiceAccountName) > 1)
        {
            Fail("spec.template.spec.serviceAccountName", "is shared with another Deployment");
        }

        if (pod.HostNetwork == true || pod.HostPID == true || pod.HostIPC == true)
        {
            Fail("spec.template.spec", "must not use the host's network, PID or IPC namespace");
        }

        if (pod.SecurityContext?.RunAsNonRoot != true)
        {
            Fail("spec.template.spec.securityContext.runAsNonRoot", "must be true");
        }

        if (pod.SecurityContext?.SeccompProfile?.Type != "RuntimeDefault")
        {
            Fail("spec.template.spec.securityContext.seccompProfile.type", "must be RuntimeDefault");
        }

        if (!(pod.TopologySpreadConstraints ?? []).Any(t => t.TopologyKey == "kubernetes.io/hostname" && Selects(t.LabelSelector, labels)))
        {
            Fail("spec.template.spec.topologySpreadConstraints", "must spread the pods across nodes (kubernetes.io/hostname)");
        }

        foreach (var volume in pod.Volumes ?? [])
        {
            if (volume.HostPath is not null)
            {
                Fail($"spec.template.spec.volumes[{volume.Name}].hostPath", "is not allowed");
            }
        }

        for (var i = 0; i < pod.Containers.Count; i++)
        {
            CheckContainer(pod, pod.Containers[i], $"spec.template.spec.containers[{i}]", appVersion, Fail);
        }
    }

    private static void CheckContainer(V1PodSpec pod, V1Container container, string at, string appVersion, Action<string, string> fail)
    {
        var security = container.SecurityContext;
        if (security?.AllowPrivilegeEscalation != false)
        {
            fail($"{at}.securityContext.allowPrivilegeEscalation", "must be false");
        }

        if (security?.Privileged == true)
        {
            fail($"{at}.securityContext.privileged", "must not be true");
        }

        if (security?.ReadOnlyRootFilesystem != true)
        {
            fail($"{at}.securityContext.readOnlyRootFilesystem", "must be true");
        }

        if (security?.Capabilities?.Drop?.Contains("ALL") != true)
        {
            fail($"{at}.securityContext.capabilities.drop", "must contain ALL");
        }

        if (security?.Capabilities?.Add is { Count: > 0 })
        {
            fail($"{at}.securityContext.capabilities.add", "must be empty");
        }

        if (security?.RunAsNonRoot == false || security?.RunAsUser == 0)
        {
            fail($"{at}.securityContext", "must not run as root");
        }

        if (container.Image is not { } image || !image.EndsWith(":" + appVersion, StringComparison.Ordinal))
        {
            fail($"{at}.image", $"must be pinned to the chart's appVersion {appVersion} (is '{container.Image}')");
        }

        if (container.Ports?.Any(p => p.HostPort is not null) == true)
        {
            fail($"{at}.ports", "must not use a hostPort");
        }

        CheckProbe(container.StartupProbe, "/alive", $"{at}.startupProbe", fail);
        CheckProbe(container.ReadinessProbe, "/health", $"{at}.readinessProbe", fail);
        CheckProbe(container.LivenessProbe, "/alive", $"{at}.livenessProbe", fail);

        foreach (var resource in new[] { "cpu", "memory" })
        {
            var request = container.Resources?.Requests is { } requests && requests.TryGetValue(resource, out var r) ? r : null;
            var limit = container.Resources?.Limits is { } limits && limits.TryGetValue(resource, out var l) ? l : null;
            if (request is null)
            {
                fail($"{at}.resources.requests.{resource}", "must be set");
            }

            if (limit is null)
            {
                fail($"{at}.resources.limits.{resource}", "must be set");
            }

            if (request is not null && limit is not null && request.ToDecimal() > limit.ToDecimal())
            {
                fail($"{at}.resources.requests.{resource}", $"({request}) must not exceed the limit ({limit})");
            }
        }

        var tmp = container.VolumeMounts?.FirstOrDefault(m => m.MountPath == "/tmp");
        if (tmp is null || pod.Volumes?.FirstOrDefault(v => v.Name == tmp.Name)?.EmptyDir is null)
        {
            fail($"{at}.volumeMounts", "must mount an emptyDir at /tmp (the root filesystem is read-only)");
        }

        foreach (var variable in container.Env ?? [])
        {
            if (variable.Value is not null && LooksSecret(variable.Name))
            {
                fail($"{at}.env[{variable.Name}].value", "holds a secret in plain text: take it from a Secret (valueFrom.secretKeyRef)");
            }
        }
    }

    private static void CheckProbe(V1Probe? probe, string path, string at, Action<string, string> fail)
    {
        if (probe?.HttpGet is null)
        {
            fail(at, $"must be an HTTP GET of {path}");
        }
        else if (probe.HttpGet.Path != path)
        {
            fail($"{at}.httpGet.path", $"must be {path} (is {probe.HttpGet.Path})");
        }
    }

    /// <summary>Only the gateway is reachable from outside: no NodePort or LoadBalancer, one Ingress, to the gateway, with TLS.</summary>
    private static void CheckExposure(RenderedChart chart, List<string> violations)
    {
        foreach (var service in chart.All<V1Service>())
        {
            if (service.Spec.Type is not (null or "ClusterIP"))
            {
                violations.Add($"Service/{service.Metadata.Name}: spec.type must be ClusterIP (is {service.Spec.Type})");
            }
        }

        var ingresses = chart.All<V1Ingress>().ToList();
        if (ingresses.Count != 1)
        {
            violations.Add($"Ingress: exactly one must be rendered (found {ingresses.Count})");
        }

        foreach (var ingress in ingresses)
        {
            var at = $"Ingress/{ingress.Metadata.Name}";
            var backends = ingress.Spec.Rules.SelectMany(r => r.Http.Paths).Select(p => p.Backend.Service.Name).Distinct().ToList();
            if (backends is not [var only] || !only.EndsWith("-gateway", StringComparison.Ordinal))
            {
                violations.Add($"{at}: spec.rules[].http.paths[].backend.service.name must be the gateway only (is {string.Join(", ", backends)})");
            }

            if (ingress.Spec.Tls is not [{ SecretName.Length: > 0 }])
            {
                violations.Add($"{at}: spec.tls must name the TLS Secret");
            }

            if (string.IsNullOrEmpty(ingress.Spec.IngressClassName))
            {
                violations.Add($"{at}: spec.ingressClassName must be set");
            }
        }

        foreach (var policy in chart.All<V1NetworkPolicy>())
        {
            var component = policy.Spec.PodSelector.MatchLabels is { } selector && selector.TryGetValue("app.kubernetes.io/component", out var c) ? c : null;
            foreach (var peer in (policy.Spec.Ingress ?? []).SelectMany(rule => rule.FromProperty ?? []))
            {
                var fromOtherNamespaces = peer.NamespaceSelector is not null || peer.IpBlock is not null;
                if (fromOtherNamespaces && component != "gateway")
                {
                    violations.Add($"NetworkPolicy/{policy.Metadata.Name}: spec.ingress[].from admits traffic from outside the release; only the gateway may be reached from the ingress controller");
                }
            }
        }
    }

    /// <summary>No secret in a ConfigMap: neither a setting named like one nor a value that carries a password.</summary>
    private static void CheckConfigMaps(RenderedChart chart, List<string> violations)
    {
        foreach (var map in chart.All<V1ConfigMap>())
        {
            foreach (var (key, value) in map.Data ?? new Dictionary<string, string>())
            {
                if (LooksSecret(key) || value.Contains("password=", StringComparison.OrdinalIgnoreCase) || value.Contains("@", StringComparison.Ordinal) && value.Contains("://", StringComparison.Ordinal))
                {
                    violations.Add($"ConfigMap/{map.Metadata.Name}: data.{key} looks like a secret; secrets belong in a Secret");
                }
            }
        }
    }

    private static bool LooksSecret(string name)
    {
        var normalised = name.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return SecretLikeNames.Any(s => name.Contains(s, StringComparison.OrdinalIgnoreCase) || normalised.Contains(s.Replace("_", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal));
    }

    private static bool IsDenyAll(V1NetworkPolicy policy) =>
        policy.Spec.PolicyTypes is { } types && types.Contains("Ingress") && types.Contains("Egress") &&
        policy.Spec.Ingress is null or { Count: 0 } && policy.Spec.Egress is null or { Count: 0 };

    private static bool Selects(V1LabelSelector? selector, IDictionary<string, string> labels) =>
        selector?.MatchLabels is { Count: > 0 } wanted && selector.MatchExpressions is null or { Count: 0 } &&
        wanted.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
