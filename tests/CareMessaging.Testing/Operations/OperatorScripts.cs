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

        var text = $"{await output}{await errors}";
        return process.ExitCode == 0 ? text : throw new InvalidOperationException($"{script} failed with exit code {process.ExitCode}:\n{text}");
    }
}
