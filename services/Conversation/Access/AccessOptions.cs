namespace CareMessaging.Conversation.Access;

/// <summary>How reads of a thread become access events (section <c>Access</c>, ADR 0016).</summary>
public sealed class AccessOptions
{
    public const string SectionName = "Access";

    /// <summary>
    /// Within this long after a reader's last recorded view of a conversation, fetching its messages
    /// records no further view; opening the thread always records one and starts the window again.
    /// </summary>
    public TimeSpan ViewWindow { get; set; } = TimeSpan.FromMinutes(15);
}
