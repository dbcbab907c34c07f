using System.Globalization;

namespace CareMessaging.LoadBench;

/// <summary>
/// CPU time of every process of the stack, read from <c>/proc/&lt;pid&gt;/stat</c>: the services,
/// PostgreSQL, Redis, RabbitMQ (beam.smp), Aspire's DCP and this load generator. A process belongs
/// to the stack when it descends from this one or names the stack's state folder on its command
/// line, so other work on the machine is not counted. Time of children that have exited is in
/// their parent's (PostgreSQL's backends in the postmaster's).
/// </summary>
internal sealed class ProcessCpu(string stateDirectory)
{
    private static readonly double TicksPerSecond = 100.0;

    /// <summary>CPU seconds so far of each process of the stack, by pid, with the name it is reported under.</summary>
    public IReadOnlyDictionary<int, (string Name, double Seconds)> Sample()
    {
        var all = new Dictionary<int, (int Parent, string Command, double Seconds)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || Read(pid) is not { } process)
            {
                continue;
            }

            all[pid] = process;
        }

        // DCP, which runs the servers and services, detaches from this process and watches it.
        var self = Environment.ProcessId;
        var roots = all.Where(entry => entry.Key == self
                || entry.Value.Command.Contains($"start-apiserver --monitor {self} ", StringComparison.Ordinal)
                || entry.Value.Command.Contains(stateDirectory, StringComparison.Ordinal))
            .Select(entry => entry.Key)
            .ToHashSet();
        var result = new Dictionary<int, (string, double)>();
        foreach (var (pid, process) in all)
        {
            if (roots.Contains(pid) || roots.Any(root => DescendsFrom(pid, root, all)))
            {
                result[pid] = (pid == self ? "load generator (+AppHost)" : NameOf(process.Command), process.Seconds);
            }
        }

        return result;
    }

    /// <summary>
    /// Resident memory of each service process now and at its peak (VmRSS and VmHWM of
    /// <c>/proc/&lt;pid&gt;/status</c>), in MiB, by name: what a pod's memory request and limit are sized from.
    /// </summary>
    public IReadOnlyList<(string Name, double Resident, double Peak)> ServiceMemory() =>
        Sample()
            .Where(entry => entry.Value.Name.StartsWith("CareMessaging.", StringComparison.Ordinal))
            .Select(entry => (entry.Value.Name, Status: ReadStatus(entry.Key)))
            .Where(entry => entry.Status is not null)
            .Select(entry => (entry.Name, entry.Status!.Value.Resident, entry.Status!.Value.Peak))
            .OrderBy(entry => entry.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>CPU seconds between two samples, summed by name; processes that started in between count from zero.</summary>
    public static IReadOnlyList<(string Name, double Seconds)> Between(
        IReadOnlyDictionary<int, (string Name, double Seconds)> before, IReadOnlyDictionary<int, (string Name, double Seconds)> after) =>
        after.Select(entry => (entry.Value.Name, Seconds: entry.Value.Seconds - (before.TryGetValue(entry.Key, out var earlier) ? earlier.Seconds : 0)))
            .GroupBy(entry => entry.Name)
            .Select(group => (group.Key, group.Sum(entry => entry.Seconds)))
            .OrderByDescending(entry => entry.Item2)
            .ToList();

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ').Take(3) is var parts ? string.Join(' ', parts) : "";

    private static bool DescendsFrom(int pid, int ancestor, Dictionary<int, (int Parent, string Command, double Seconds)> all)
    {
        for (var hops = 0; hops < 64 && all.TryGetValue(pid, out var process); hops++)
        {
            if (process.Parent == ancestor)
            {
                return true;
            }

            pid = process.Parent;
        }

        return false;
    }

    private static (int Parent, string Command, double Seconds)? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may itself contain spaces or parentheses.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            // utime, stime, cutime, cstime: fields 14 to 17 of stat, 12 to 15 after the name.
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
                + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            var command = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            return (parent, command, ticks / TicksPerSecond);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static (double Resident, double Peak)? ReadStatus(int pid)
    {
        try
        {
            var lines = File.ReadAllLines($"/proc/{pid}/status");
            double Kib(string field) => lines.Where(line => line.StartsWith(field, StringComparison.Ordinal))
                .Select(line => double.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture))
                .FirstOrDefault();
            return (Kib("VmRSS:") / 1024, Kib("VmHWM:") / 1024);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string NameOf(string command)
    {
        // A PostgreSQL backend names its database: "postgres: user conversationdb 127.0.0.1(5432) idle".
        if (command.StartsWith("postgres: ", StringComparison.Ordinal) && command.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, _, var database, ..]
            && database.EndsWith("db", StringComparison.Ordinal))
        {
            return $"postgres {database}";
        }

        if (command.StartsWith("dotnet run ", StringComparison.Ordinal))
        {
            return "dotnet run (launchers)";
        }

        foreach (var known in new[] { "beam.smp", "redis-server", "postgres", "dcpctrl", "dcpproc", "dcp", "epmd", "erl_child_setup", "inet_gethost" })
        {
            if (command.Contains(known, StringComparison.Ordinal))
            {
                return known;
            }
        }

        var service = command.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(Path.GetFileName)
            .FirstOrDefault(part => part is not null && part.StartsWith("CareMessaging.", StringComparison.Ordinal));
        return service is null ? command.Split(' ')[0]
            : service.EndsWith(".dll", StringComparison.Ordinal) ? service[..^4] : service;
    }
}
