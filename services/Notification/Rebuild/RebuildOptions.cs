namespace CareMessaging.Notification.Rebuild;

/// <summary>Settings of the automatic rebuild (<c>Notification:Rebuild</c>).</summary>
public sealed class RebuildOptions
{
    public const string SectionName = "Notification:Rebuild";

    /// <summary>How often a replica checks that Redis still holds the counters.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How soon a replica tries again while the counters are missing and could not be rebuilt (or
    /// another replica is rebuilding them): the service is not ready meanwhile.
    /// </summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest a replica may hold the rebuild lock.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
