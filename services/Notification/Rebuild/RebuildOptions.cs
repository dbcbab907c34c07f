namespace CareMessaging.Notification.Rebuild;

/// <summary>Settings of the automatic rebuild (<c>Notification:Rebuild</c>).</summary>
public sealed class RebuildOptions
{
    public const string SectionName = "Notification:Rebuild";

    /// <summary>How often a replica checks that Redis still holds the counters.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest a replica may hold the rebuild lock.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
