using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CareMessaging.Testing;

/// <summary>
/// A TCP forwarder a test puts between a service it hosts and a real server, to make that server
/// fail for this one service without disturbing the others that share it: <see cref="Cut"/> is a
/// server that crashed (every connection reset, every new one refused), <see cref="StopAnswering"/>
/// one that hangs (connections accepted, never answered), <see cref="Restore"/> brings it back.
/// </summary>
public sealed class TcpGate : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<Socket, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private volatile GateState _state = GateState.Open;

    private TcpGate(string targetHost, int targetPort, Func<int, string> connectionStringThroughGate)
    {
        (_targetHost, _targetPort) = (targetHost, targetPort);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        ConnectionString = connectionStringThroughGate(Port);
        _accepting = AcceptAsync();
    }

    private enum GateState
    {
        Open,
        Cut,
        Silent,
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The server's connection string, pointing at the gate instead.</summary>
    public string ConnectionString { get; }

    /// <summary>A gate in front of the PostgreSQL server of <paramref name="connectionString"/>.</summary>
    public static TcpGate InFrontOfPostgres(string connectionString)
    {
        var server = new NpgsqlConnectionStringBuilder(connectionString);
        return new TcpGate(server.Host!, server.Port,
            port => new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = port }.ConnectionString);
    }

    /// <summary>A gate in front of the Redis server of <paramref name="configuration"/> (<c>host:port,options</c>).</summary>
    public static TcpGate InFrontOfRedis(string configuration)
    {
        var parts = configuration.Split(',', 2);
        var endpoint = parts[0];
        var separator = endpoint.LastIndexOf(':');
        return new TcpGate(endpoint[..separator], int.Parse(endpoint[(separator + 1)..], System.Globalization.CultureInfo.InvariantCulture),
            port => $"127.0.0.1:{port}{(parts.Length > 1 ? "," + parts[1] : string.Empty)}");
    }

    /// <summary>The server crashed: open connections are reset and new ones are reset as they arrive.</summary>
    public void Cut()
    {
        _state = GateState.Cut;
        ResetAll();
    }

    /// <summary>The server hangs: open connections are reset, new ones are accepted and never answered.</summary>
    public void StopAnswering()
    {
        _state = GateState.Silent;
        ResetAll();
    }

    /// <summary>The server is back: new connections reach it again.</summary>
    public void Restore()
    {
        _state = GateState.Open;
        // Silent connections would hang their clients for ever; they end as a server restart would end them.
        ResetAll();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        ResetAll();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            switch (_state)
            {
                case GateState.Cut:
                    Reset(client);
                    break;
                case GateState.Silent:
                    _connections[client] = 0;
                    break;
                default:
                    _ = ForwardAsync(client);
                    break;
            }
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _connections[client] = 0;
        _connections[server] = 0;
        try
        {
            await server.ConnectAsync(_targetHost == "localhost" ? IPAddress.Loopback.ToString() : _targetHost, _targetPort, _stopping.Token);
            client.NoDelay = true;
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            Reset(client);
            Reset(server);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
            }
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private void ResetAll()
    {
        foreach (var socket in _connections.Keys)
        {
            Reset(socket);
        }
    }

    private void Reset(Socket socket)
    {
        _connections.TryRemove(socket, out _);
        try
        {
            // A zero linger time closes with RST, as a crashed server's kernel does, rather than a polite FIN.
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
        }
    }
}
