using System.Diagnostics;
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
        await using (var first = await InfrastructureStack.StartAsync(_state.Path))
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
