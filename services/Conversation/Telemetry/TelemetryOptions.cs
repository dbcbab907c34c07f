namespace CareMessaging.Conversation.Telemetry;

/// <summary>How often the service reads figures for its metrics (section <c>Telemetry</c>).</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>How often the outbox backlog is counted for <c>caremessaging.outbox.backlog</c>.</summary>
    public TimeSpan OutboxBacklogInterval { get; set; } = TimeSpan.FromSeconds(5);
}
