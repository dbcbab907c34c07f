namespace CareMessaging.AppHost;

/// <summary>
/// <c>AppHost:Replicas</c> (default 1): how many processes of each service the AppHost starts, to
/// run the system scaled out as it runs in Kubernetes (two or more pods of everything). Callers
/// reach a service's replicas through Aspire's proxy, which spreads connections over them as a
/// Kubernetes Service does. The gateway's public port is normally served by the gateway itself
/// (GatewayEndpoint); with replicas it is served by the proxy instead, on the same port, so the
/// issuer and the registered redirect address stay what they were (ADR 0055).
/// </summary>
internal static class Replicas
{
    public const string ConfigurationKey = "AppHost:Replicas";

    public static int Read(IConfiguration configuration)
    {
        var replicas = configuration.GetValue(ConfigurationKey, 1);
        return replicas is >= 1 and <= 5
            ? replicas
            : throw new InvalidOperationException($"{ConfigurationKey} is {replicas}. Use a number from 1 to 5.");
    }

    public static IResourceBuilder<ProjectResource> WithConfiguredReplicas(this IResourceBuilder<ProjectResource> service, int replicas) =>
        replicas > 1 ? service.WithReplicas(replicas) : service;

    /// <summary>The gateway's replicas behind Aspire's proxy on the public port.</summary>
    public static IResourceBuilder<ProjectResource> WithReplicasOnPublicPort(this IResourceBuilder<ProjectResource> gateway, int replicas)
    {
        if (replicas <= 1)
        {
            return gateway;
        }

        gateway.WithEndpoint("http", endpoint =>
        {
            endpoint.IsProxied = true;
            endpoint.TargetPort = null;
        });
        return gateway.WithReplicas(replicas);
    }
}
