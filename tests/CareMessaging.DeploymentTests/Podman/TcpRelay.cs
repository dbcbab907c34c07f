using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace CareMessaging.DeploymentTests.Podman;

/// <summary>
/// A TCP listener that hands each connection to the next of its backends in turn, as kube-proxy
/// does for a Service: here it stands in for the Services' cluster addresses (on the podman
/// bridge) and carries the containers' connections to the stores, which listen on loopback.
/// Counts the connections each backend received.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IReadOnlyList<IPEndPoint> _backends;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<IPEndPoint, int> _connections = new();
    private readonly ConcurrentBag<Task> _pumps = [];
    private readonly Task _accepting;
    private int _next = -1;

    private TcpRelay(IPEndPoint listen, IReadOnlyList<IPEndPoint> backends)
    {
        _backends = backends;
        _listener = new TcpListener(listen);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Address = (IPEndPoint)_listener.LocalEndpoint;
        _accepting = AcceptAsync();
    }

    public IPEndPoint Address { get; }

    /// <summary>Connections handed to each backend so far.</summary>
    public IReadOnlyDictionary<IPEndPoint, int> Connections => _connections;

    public static TcpRelay Start(IPEndPoint listen, params IPEndPoint[] backends) => new(listen, backends);

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

            var backend = _backends[(int)((uint)Interlocked.Increment(ref _next) % (uint)_backends.Count)];
            _connections.AddOrUpdate(backend, 1, (_, count) => count + 1);
            _pumps.Add(RelayAsync(client, backend));
        }
    }

    private async Task RelayAsync(Socket client, IPEndPoint backend)
    {
        using (client)
        using (var server = new Socket(backend.AddressFamily, SocketType.Stream, ProtocolType.Tcp))
        {
            try
            {
                client.NoDelay = server.NoDelay = true;
                await server.ConnectAsync(backend, _stopping.Token);
                await using var clientStream = new NetworkStream(client, ownsSocket: false);
                await using var serverStream = new NetworkStream(server, ownsSocket: false);
                var upstream = PumpAsync(clientStream, server, serverStream);
                var downstream = PumpAsync(serverStream, client, clientStream);
                if (await Task.WhenAny(upstream, downstream) is { IsFaulted: true })
                {
                    // A reset on one side resets the other, rather than leaving it open.
                    client.Close(0);
                    server.Close(0);
                }

                await Task.WhenAll(upstream, downstream);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or IOException)
            {
                // A connection that ends either way ends the relay of it, as a real connection would.
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, Socket toSocket, NetworkStream to)
    {
        try
        {
            await from.CopyToAsync(to, 64 * 1024, _stopping.Token);
        }
        finally
        {
            // Half-close: the other side sees the end of this direction, as on a direct connection.
            try
            {
                toSocket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_pumps);
        _stopping.Dispose();
    }
}
