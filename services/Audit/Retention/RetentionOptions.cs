namespace CareMessaging.Audit.Retention;

/// <summary>How long the trail keeps records (<c>Audit:Retention</c>).</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Audit:Retention";

    /// <summary>Records older than this many years are purged; six years by default (HIPAA's documentation retention).</summary>
    public int Years { get; set; } = 6;

    /// <summary>How often the purge job runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Set to false to run no purge at all (for example while a legal hold applies).</summary>
    public bool Enabled { get; set; } = true;
}
