using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace CareMessaging.Testing;

/// <summary>
/// Crashes of a stack's resources as they happen in production: the process and everything it
/// started killed outright (SIGKILL, no shutdown), then brought back. The harness starts it again
/// unless something else (the AppHost's own restart of a crashed process) already has, so a test
/// passes with or without that.
/// </summary>
public static class ResourceFaults
{
    private const string PidProperty = "executable.pid";

    private static readonly string[] Ended = [KnownResourceStates.Exited, KnownResourceStates.Finished, KnownResourceStates.FailedToStart];

    /// <summary>
    /// Kills <paramref name="resourceName"/>'s process tree with SIGKILL (for PostgreSQL: the
    /// launcher, the postmaster and every backend) and waits until the stack has seen it go.
    /// </summary>
    public static async Task KillAsync(this AppHostStack stack, string resourceName)
    {
        var pid = ProcessId(stack, resourceName)
            ?? throw new InvalidOperationException($"{resourceName} has no process id in its snapshot; is it running?");
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(entireProcessTree: true);
        }

        using var cancellation = new CancellationTokenSource(TestTimeouts.ResourceStart);
        await stack.App.ResourceNotifications.WaitForResourceAsync(resourceName,
            e => e.Snapshot.State?.Text is { } state && (Ended.Contains(state) || ProcessIdOf(e.Snapshot) is { } now && now != pid),
            cancellation.Token).WaitAsync(cancellation.Token);
    }

    /// <summary>Starts a killed resource again if nothing has yet, and waits until it is healthy.</summary>
    public static async Task BringBackAsync(this AppHostStack stack, string resourceName)
    {
        if (stack.App.ResourceNotifications.TryGetCurrentState(resourceName, out var current)
            && current.Snapshot.State?.Text is { } state && Ended.Contains(state))
        {
            try
            {
                await stack.StartResourceAsync(resourceName);
                ForgetDeadConnections();
                return;
            }
            catch (InvalidOperationException)
            {
                // Restarted by the AppHost between the look and the command: wait for it below.
            }
        }

        using var cancellation = new CancellationTokenSource(TestTimeouts.ResourceStart);
        await stack.App.ResourceNotifications.WaitForResourceHealthyAsync(resourceName, cancellation.Token).WaitAsync(cancellation.Token);
        ForgetDeadConnections();
    }

    /// <summary>
    /// The test's own pooled connections to a PostgreSQL that was killed are dead; the first query
    /// on one would fail with 57P01 though the server is back. The services' pools are theirs to heal.
    /// </summary>
    public static void ForgetDeadConnections() => Npgsql.NpgsqlConnection.ClearAllPools();

    private static int? ProcessId(AppHostStack stack, string resourceName) =>
        stack.App.ResourceNotifications.TryGetCurrentState(resourceName, out var resource) ? ProcessIdOf(resource.Snapshot) : null;

    private static int? ProcessIdOf(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == PidProperty)?.Value switch
        {
            int pid => pid,
            long pid => (int)pid,
            string text when int.TryParse(text, out var pid) => pid,
            _ => null,
        };
}
