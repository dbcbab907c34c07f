using System.Diagnostics;

namespace CareMessaging.Testing;

/// <summary>
/// The checkout's operator scripts (<c>eng/backup.sh</c>, <c>eng/restore.sh</c>) run as an operator
/// runs them from a shell: a test proves the script, not a copy of what it does.
/// </summary>
public static class OperatorScripts
{
    /// <summary>How long one script may take on a loaded two-core machine (the broker's CLI alone takes seconds per call).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    /// <summary>Runs <paramref name="script"/> (a path from the checkout's root) and returns its output; throws with that output when it fails.</summary>
    public static async Task<string> RunAsync(string script, params string[] arguments)
    {
        var (exitCode, output) = await TryRunAsync(script, arguments);
        return exitCode == 0 ? output : throw new InvalidOperationException($"{script} failed with exit code {exitCode}:\n{output}");
    }

    /// <summary>Runs <paramref name="script"/> and returns its exit code and everything it wrote (standard output, then standard error).</summary>
    public static async Task<(int ExitCode, string Output)> TryRunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(AppHostProcess.RepositoryRoot(), script), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{script} did not start.");
        using var cancellation = new CancellationTokenSource(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(cancellation.Token);
        var errors = process.StandardError.ReadToEndAsync(cancellation.Token);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within {Timeout}.");
        }

        return (process.ExitCode, $"{await output}{await errors}");
    }
}
