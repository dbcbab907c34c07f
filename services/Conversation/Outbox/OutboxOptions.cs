namespace CareMessaging.Conversation.Outbox;

/// <summary>How the dispatcher polls and backs off, when its backlog makes the service unready, and how long sent rows are kept (section <c>Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>How often to look for unsent events when nobody signals.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>At most this many events are claimed, published together and marked sent in one round.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How long one publish may wait for the broker before the batch is retried later.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The first wait after a failure; it doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The service reports itself unhealthy while its oldest unsent event is older than this: events
    /// are not leaving (the broker is unreachable, or the dispatcher cannot keep up).
    /// </summary>
    public TimeSpan MaxUnsentAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The service reports itself degraded while the backlog is above <see cref="BacklogThreshold"/>
    /// and larger than it was this long ago: events arrive faster than they drain.
    /// </summary>
    public TimeSpan BacklogGrowthWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A backlog up to this size is a burst being drained, not a problem, whether it grows or not.</summary>
    public int BacklogThreshold { get; set; } = 5000;

    /// <summary>How long a sent row is kept before <see cref="OutboxPruner"/> deletes it. Unsent rows are kept until sent.</summary>
    public TimeSpan RetainSentFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often sent rows past their retention are looked for.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many rows go in one DELETE, so no statement holds locks for long.</summary>
    public int PruneBatchSize { get; set; } = 1000;
}
