using System.Diagnostics;
using System.Text;

namespace CareMessaging.DeploymentTests.Toolchain;

/// <summary>What a command printed and how it ended.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws with the command's own words when it failed.</summary>
    public CommandResult OrThrow(string what) => Succeeded
        ? this
        : throw new InvalidOperationException($"{what} failed (exit code {ExitCode}):\n{Error}\n{Output}".TrimEnd());
}

/// <summary>
/// Runs the tools the deployment checks use (helm, node, bash with eng/k8s/lib.sh, podman) as child
/// processes with a timeout, from the repository root.
/// </summary>
public static class Commands
{
    public static async Task<CommandResult> RunAsync(
        string file, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        return new CommandResult(process.ExitCode, await output, await error);
    }

    /// <summary>
    /// Runs <paramref name="script"/> in bash after sourcing eng/prerequisites.sh and eng/k8s/lib.sh,
    /// so it can call the cm_* and k8s_* functions.
    /// </summary>
    public static Task<CommandResult> BashAsync(string script, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null) =>
        RunAsync("bash", ["-c", $"set -uo pipefail; source eng/prerequisites.sh; source eng/k8s/lib.sh; {script}"], timeout, environment);

    /// <summary>Quotes a value for a bash command line.</summary>
    public static string Quote(string value)
    {
        var quoted = new StringBuilder("'");
        quoted.Append(value.Replace("'", "'\\''", StringComparison.Ordinal));
        return quoted.Append('\'').ToString();
    }
}
