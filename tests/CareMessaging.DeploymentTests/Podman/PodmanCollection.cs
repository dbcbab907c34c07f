namespace CareMessaging.DeploymentTests.Podman;

/// <summary>The podman run is started once for the tests that look at it: starting it is the expensive part.</summary>
[CollectionDefinition(Name)]
public sealed class PodmanCollection : ICollectionFixture<PodmanCluster>
{
    public const string Name = "podman";
}
