using System.Globalization;

namespace CareMessaging.Testing;

/// <summary>
/// The processes still running for one state folder: every local server is started with
/// <c>CM_STATE_DIR</c> naming its state folder, and keeps it in its environment. A test reads them
/// to prove that nothing a run started outlives it.
/// </summary>
public static class StateFolderProcesses
{
    // Erlang's port mapper is one per machine, shared by every node and holding no state: it
    // stays by design, whichever broker started it.
    private static readonly HashSet<string> MachineWide = new(StringComparer.Ordinal) { "epmd" };

    /// <summary>Waits until nothing runs for <paramref name="stateDirectory"/> any more; returns what still runs at the deadline.</summary>
    public static Task<IReadOnlyList<string>> WaitUntilNoneRunAsync(string stateDirectory) =>
        Eventually.Until(() => Task.FromResult(Running(stateDirectory)), running => running.Count == 0, within: TestTimeouts.ResourceStart);

    /// <summary>"pid name" of each live process started for <paramref name="stateDirectory"/>.</summary>
    public static IReadOnlyList<string> Running(string stateDirectory)
    {
        var marker = $"CM_STATE_DIR={stateDirectory}";
        var running = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var name = File.ReadAllText(Path.Combine(directory, "comm")).Trim();
                var environment = File.ReadAllText(Path.Combine(directory, "environ")).Split('\0');
                if (!MachineWide.Contains(name) && environment.Contains(marker, StringComparer.Ordinal))
                {
                    running.Add($"{pid} {name}");
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was read, or belongs to someone else.
            }
        }

        return running;
    }
}
