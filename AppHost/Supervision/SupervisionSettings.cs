namespace CareMessaging.AppHost.Supervision;

/// <summary>
/// How the AppHost looks after the processes it runs (section <c>Supervision</c>): a server or
/// service that dies is started again after a pause that doubles up to <see cref="MaxRestartDelay"/>;
/// one that cannot start at all during start-up ends the run with an error (ADR 0007).
/// </summary>
public sealed record SupervisionSettings
{
    public const string Section = "Supervision";

    /// <summary>Start a process again when it dies by itself. A process an operator stopped stays stopped.</summary>
    public bool Restart { get; init; } = true;

    /// <summary>The pause before the first restart after a failure.</summary>
    public TimeSpan FirstRestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between two restarts of a process that keeps failing.</summary>
    public TimeSpan MaxRestartDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Failures in a row after which a process is reported as failing, with the last lines of its log.</summary>
    public int FailuresBeforeReport { get; init; } = 3;

    /// <summary>How long a process must stay healthy for its earlier failures to be forgotten.</summary>
    public TimeSpan StablePeriod { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts a process gets to become healthy for the first time before the run ends with an error.</summary>
    public int StartAttempts { get; init; } = 3;

    /// <summary>How long start-up may take until every process is healthy; past it the run ends with an error naming the ones that are not.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How many of a failing process's last log lines a report shows.</summary>
    public int LogLinesInReport { get; init; } = 20;

    public static SupervisionSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<SupervisionSettings>() ?? new SupervisionSettings();
}
