using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using CareMessaging.Contracts;
using Npgsql;
using StackExchange.Redis;

namespace CareMessaging.EndToEndTests.Foundation;

/// <summary>The processes mode's servers, started on their own, across restarts and crashes.</summary>
public sealed class LocalInfrastructureTests : IDisposable
{
    private readonly TemporaryStateDirectory _state = new();

    [Fact]
    public async Task Data_survives_a_restart_with_the_same_state_folder()
    {
        var marker = Guid.NewGuid().ToString("N");
        await using (var first = await InfrastructureStack.StartAsync(_state.Path))
        {
            await ExecuteAsync(await first.GetConnectionStringAsync(ResourceNames.ConversationDb),
                "CREATE TABLE IF NOT EXISTS restart_probe (marker text PRIMARY KEY)");
            await ExecuteAsync(await first.GetConnectionStringAsync(ResourceNames.ConversationDb),
                $"INSERT INTO restart_probe VALUES ('{marker}')");
            await using var redis = await ConnectionMultiplexer.ConnectAsync(await first.GetConnectionStringAsync(ResourceNames.Redis));
            await redis.GetDatabase().StringSetAsync("restart-probe", marker);
        }

        await using var second = await InfrastructureStack.StartAsync(_state.Path);

        var stored = await QueryAsync(await second.GetConnectionStringAsync(ResourceNames.ConversationDb),
            "SELECT marker FROM restart_probe");
        Assert.Equal(marker, stored);
        await using var redisAgain = await ConnectionMultiplexer.ConnectAsync(await second.GetConnectionStringAsync(ResourceNames.Redis));
        Assert.Equal(marker, (string?)await redisAgain.GetDatabase().StringGetAsync("restart-probe"));
    }

    [Fact]
    public async Task Servers_killed_without_cleanup_start_again_on_the_next_run()
    {
        // Not started again by the AppHost: the next run must cope with what they left behind.
        await using (var first = await InfrastructureStack.StartAsync(_state.Path, ["Supervision:Restart=false"]))
        {
            // Kill every server outright: PostgreSQL leaves postmaster.pid, RabbitMQ its node
            // state, Redis its pid file; none gets to shut down cleanly.
            KillServersOf(_state.Path);
            Assert.True(File.Exists(Path.Combine(_state.Path, "postgres", "data", "postmaster.pid")));
        }

        await using var second = await InfrastructureStack.StartAsync(_state.Path);

        Assert.Equal("1", await QueryAsync(await second.GetConnectionStringAsync(ResourceNames.AuditDb), "SELECT 1::text"));
    }

    [Fact]
    public async Task Starts_from_a_state_folder_inside_a_folder_the_postgres_user_cannot_enter()
    {
        using var closed = new TemporaryStateDirectory(insideClosedFolder: true);

        await using var stack = await InfrastructureStack.StartAsync(closed.Path);

        Assert.Equal("1", await QueryAsync(await stack.GetConnectionStringAsync(ResourceNames.ConversationDb), "SELECT 1::text"));
        // The server was given a data folder it can reach, not one through the closed folder.
        var dataDirectory = await QueryAsync(await stack.GetConnectionStringAsync(ResourceNames.ConversationDb), "SHOW data_directory");
        Assert.StartsWith(closed.PostgresHome, dataDirectory);
        Assert.DoesNotContain(closed.Path, dataDirectory);
    }

    [Fact]
    public async Task A_server_that_cannot_start_is_named_with_the_last_lines_of_its_log()
    {
        var failingServer = FailingPostgresBinaries(_state.Path);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => InfrastructureStack.StartAsync(
            _state.Path,
            configure: builder => builder.CreateResourceBuilder<ExecutableResource>(ResourceNames.Postgres)
                .WithEnvironment("CM_POSTGRES_BIN", failingServer)));

        Assert.Contains("postgres could not start", failure.Message);
        Assert.Contains(FailingServerMessage, failure.Message);
        // The servers that did start are stopped with the failed start.
        Assert.Empty(await StateFolderProcesses.WaitUntilNoneRunAsync(_state.Path));
    }

    [Fact]
    public async Task The_run_exits_with_an_error_naming_a_server_that_cannot_start_with_the_last_lines_of_its_log()
    {
        var failingServer = FailingPostgresBinaries(_state.Path);

        // The AppHost as ./run.sh starts it (its servers alone, to keep the test short), with a PostgreSQL that fails at once.
        var host = AppHostProcess.Start(
            ["AppHost:InfrastructureOnly=true", "Infrastructure:Mode=processes", $"Infrastructure:StateDirectory={_state.Path}"],
            new Dictionary<string, string> { ["CM_POSTGRES_BIN"] = failingServer });
        await using (host)
        {
            var exitCode = await host.WaitForExitAsync(TestTimeouts.StackStart);

            Assert.Equal(1, exitCode);
            Assert.Contains("postgres could not start", host.Output);
            Assert.Contains(FailingServerMessage, host.Output);
        }

        Assert.Empty(await StateFolderProcesses.WaitUntilNoneRunAsync(_state.Path));
    }

    [Fact]
    public async Task The_servers_of_a_run_whose_AppHost_is_killed_outright_stop_with_it()
    {
        // As when a test run is cancelled or its host crashes: the AppHost gets no chance to stop anything.
        var host = AppHostProcess.Start(
            ["AppHost:InfrastructureOnly=true", "Infrastructure:Mode=processes", $"Infrastructure:StateDirectory={_state.Path}"]);
        await using (host)
        {
            foreach (var server in new[] { ResourceNames.Postgres, ResourceNames.Redis, ResourceNames.Messaging })
            {
                await host.WaitForLineAsync(line => line.Trim().StartsWith($"{server} is up", StringComparison.Ordinal), TestTimeouts.ResourceStart);
            }

            Assert.NotEmpty(StateFolderProcesses.Running(_state.Path));

            Process.GetProcessById(host.ProcessId).Kill();

            Assert.Empty(await StateFolderProcesses.WaitUntilNoneRunAsync(_state.Path));
        }
    }

    [Fact]
    public async Task Launcher_names_the_Debian_package_when_the_server_binary_is_missing()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Infrastructure", "Scripts", "postgres.sh");
        var start = new ProcessStartInfo("bash", [script])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            Environment =
            {
                ["CM_STATE_DIR"] = _state.Path,
                ["PGPORT"] = "1",
                ["CM_POSTGRES_PASSWORD"] = "unused",
                ["CM_POSTGRES_BIN"] = "/nonexistent/bin",
            },
        };

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync().WaitAsync(TestTimeouts.Request);
        await process.WaitForExitAsync().WaitAsync(TestTimeouts.Request);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("postgresql-15", error);
        Assert.Contains("apt-get install", error);
    }

    public void Dispose() => _state.Dispose();

    internal const string FailingServerMessage = "FATAL:  this server was made to fail by a test";

    /// <summary>
    /// A copy of PostgreSQL's binaries whose server fails at once, as a broken install or a bad
    /// setting would: initdb is the real one, the server prints one line and exits.
    /// </summary>
    internal static string FailingPostgresBinaries(string parent)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The local servers run on Linux.");
        }

        var bin = Directory.CreateDirectory(Path.Combine(parent, "failing-postgres-bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "initdb"), "/usr/lib/postgresql/15/bin/initdb");
        var server = Path.Combine(bin, "postgres");
        File.WriteAllText(server, $"#!/bin/sh\necho '{FailingServerMessage}' >&2\nexit 3\n");
        File.SetUnixFileMode(server, (UnixFileMode)0b111_101_101);
        // The launcher runs it as the postgres user, who must be able to enter the folder.
        File.SetUnixFileMode(bin, (UnixFileMode)0b111_101_101);
        return bin;
    }

    private static void KillServersOf(string stateDirectory)
    {
        var pids = new List<int>();
        var postmaster = Path.Combine(stateDirectory, "postgres", "data", "postmaster.pid");
        pids.Add(int.Parse(File.ReadLines(postmaster).First()));
        pids.Add(int.Parse(File.ReadAllText(Path.Combine(stateDirectory, "redis", "redis.pid")).Trim()));
        foreach (var process in Process.GetProcessesByName("beam.smp"))
        {
            if (File.ReadAllText($"/proc/{process.Id}/cmdline").Contains(stateDirectory, StringComparison.Ordinal))
            {
                pids.Add(process.Id);
            }
        }

        Assert.Equal(3, pids.Count);
        foreach (var pid in pids)
        {
            Process.GetProcessById(pid).Kill();
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync();
    }
}
