using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CareMessaging.Testing;

/// <summary>
/// The AppHost as <c>./run.sh</c> starts it: a process of its own with the settings of the launch
/// profile run.sh uses, the dashboard included, and its console read line by line. Every port of
/// the profile is replaced by a free one, so a developer's own run on this machine is not
/// disturbed. For tests of what a person running the system sees: the console, the exit code,
/// the dashboard.
/// </summary>
public sealed partial class AppHostProcess : IAsyncDisposable
{
    /// <summary>The launch profile <c>./run.sh</c> starts the AppHost with.</summary>
    public const string RunProfile = "http";

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppHostProcess(Process process)
    {
        _process = process;
    }

    public int ProcessId => _process.Id;

    /// <summary>Everything the AppHost has written to its console so far.</summary>
    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join(Environment.NewLine, _lines);
            }
        }
    }

    /// <summary>Starts the AppHost with <paramref name="arguments"/> and extra environment variables (for its child processes too).</summary>
    public static AppHostProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var root = RepositoryRoot();
        var configuration = typeof(AppHostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var program = Path.Combine(root, "AppHost", "bin", configuration, "net10.0", "CareMessaging.AppHost.dll");
        var start = new ProcessStartInfo("dotnet", [program, .. arguments])
        {
            WorkingDirectory = Path.Combine(root, "AppHost"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in LaunchProfileEnvironment(root))
        {
            start.Environment[name] = value;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var host = new AppHostProcess(process);
        process.OutputDataReceived += (_, e) => host.Add(e.Data);
        process.ErrorDataReceived += (_, e) => host.Add(e.Data);
        process.Exited += (_, _) => host._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits for a console line that <paramref name="match"/> accepts and returns it; fails with the output so far.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            lock (_lines)
            {
                if (_lines.FirstOrDefault(match) is { } line)
                {
                    return line;
                }
            }

            if (_exited.Task.IsCompleted)
            {
                // Let the last lines arrive before giving up.
                _process.WaitForExit();
                lock (_lines)
                {
                    if (_lines.FirstOrDefault(match) is { } line)
                    {
                        return line;
                    }
                }

                throw new InvalidOperationException($"The AppHost exited ({_process.ExitCode}) before the line was written:{Environment.NewLine}{Output}");
            }

            await Task.WhenAny(_exited.Task, Task.Delay(TimeSpan.FromMilliseconds(200)));
        }

        throw new TimeoutException($"The AppHost did not write the line within {within}:{Environment.NewLine}{Output}");
    }

    /// <summary>The address printed as "Login to the dashboard at …".</summary>
    public async Task<Uri> WaitForDashboardLoginAsync(TimeSpan within)
    {
        var line = await WaitForLineAsync(l => DashboardLogin().IsMatch(l), within);
        return new Uri(DashboardLogin().Match(line).Groups["url"].Value);
    }

    /// <summary>The address printed as "CareMessaging is ready at …".</summary>
    public async Task<Uri> WaitForGatewayAsync(TimeSpan within)
    {
        var line = await WaitForLineAsync(l => Ready().IsMatch(l), within);
        return new Uri(Ready().Match(line).Groups["url"].Value);
    }

    /// <summary>Waits until the AppHost exits by itself and returns its exit code; fails with the output when it does not.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        if (await Task.WhenAny(_exited.Task, Task.Delay(within)) != _exited.Task)
        {
            throw new TimeoutException($"The AppHost did not exit within {within}:{Environment.NewLine}{Output}");
        }

        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>Stops the AppHost as Ctrl+C does, and kills it when it does not stop in time.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var interrupt = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync();
            }

            if (await Task.WhenAny(_exited.Task, Task.Delay(TestTimeouts.ResourceStart)) != _exited.Task)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }
    }

    /// <summary>The launch profile's environment, with its application URL as ASPNETCORE_URLS as <c>dotnet run</c> sets it, on free ports.</summary>
    private static Dictionary<string, string> LaunchProfileEnvironment(string root)
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "AppHost", "Properties", "launchSettings.json")));
        var profile = settings.RootElement.GetProperty("profiles").GetProperty(RunProfile);
        var environment = profile.GetProperty("environmentVariables").EnumerateObject()
            .ToDictionary(v => v.Name, v => v.Value.GetString()!);
        environment["ASPNETCORE_URLS"] = profile.GetProperty("applicationUrl").GetString()!;
        foreach (var name in environment.Keys.ToList())
        {
            environment[name] = LocalPort().Replace(environment[name], _ => $"localhost:{FreePort()}");
        }

        return environment;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The checkout the tests run from: the folder of CareMessaging.sln.</summary>
    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CareMessaging.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No CareMessaging.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"localhost:\d+")]
    private static partial Regex LocalPort();

    [GeneratedRegex(@"Login to the dashboard at (?<url>\S+)")]
    private static partial Regex DashboardLogin();

    [GeneratedRegex(@"CareMessaging is ready at (?<url>\S+)")]
    private static partial Regex Ready();
}
