using System.Diagnostics;
using System.Threading.Channels;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Contracts.Notifications;
using CareMessaging.Notification.Counters;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using StackExchange.Redis;

namespace CareMessaging.EventsBench;

/// <summary>Unread counters: consumer throughput, and publication-to-push latency for a connected user.</summary>
internal static class NotificationBench
{
    private const int Readers = 4;

    public static async Task RunAsync(BenchServers servers, int events, int pushes)
    {
        // The counters count as complete, so no rebuild runs during the measurement.
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(servers[ResourceNames.Redis]))
        {
            await redis.GetDatabase().StringSetAsync(UnreadKeys.Ready, "bench");
        }

        await using var host = new BenchHost<UnreadCounters>(ResourceNames.Notification, new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ResourceNames.Redis}"] = servers[ResourceNames.Redis],
            [$"ConnectionStrings:{ResourceNames.Messaging}"] = servers[ResourceNames.Messaging],
        });
        var consumed = ConsumedCounter.Attach(host.Services);
        var sender = "bench-clinician";
        string[] audience = [sender, .. Enumerable.Range(0, Readers).Select(i => $"bench-reader-{i}")];
        var conversations = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()).ToArray();
        var sequences = new long[conversations.Length];

        MessageSent Next(int index)
        {
            var slot = index % conversations.Length;
            var sequence = Interlocked.Increment(ref sequences[slot]);
            return new MessageSent(new ConversationEventHeader(Guid.NewGuid(), DateTimeOffset.UtcNow, sender, Roles.Clinician, conversations[slot], "P-BENCH", "bench-team"))
            {
                SenderKind = SenderKind.Staff,
                MessageId = Guid.NewGuid(), Sequence = sequence, MessageCount = sequence, Audience = audience,
            };
        }

        // Warm-up: connections, script cache, JIT.
        await PublishAsync(servers, Enumerable.Range(0, 200).Select(Next).ToList());
        await consumed.WaitForAsync(200, TimeSpan.FromMinutes(1));

        var burst = Enumerable.Range(0, events).Select(Next).ToList();
        var start = consumed.Count;
        var clock = Stopwatch.StartNew();
        await PublishAsync(servers, burst);
        await consumed.WaitForAsync(start + events, TimeSpan.FromMinutes(5));
        clock.Stop();
        Console.WriteLine($"Notification consumer: {events} MessageSent events ({Readers} readers each) in {clock.Elapsed.TotalSeconds:0.00} s " +
                          $"= {events / clock.Elapsed.TotalSeconds:0} events/s, {events * Readers / clock.Elapsed.TotalSeconds:0} counter updates/s");

        var latency = await MeasurePushLatencyAsync(host, servers, pushes, Next);
        Console.WriteLine($"Push latency, publication to the reader's messageArrived over SignalR: {latency.Summary()}");
    }

    private static async Task<Latency> MeasurePushLatencyAsync(BenchHost<UnreadCounters> host, BenchServers servers, int pushes, Func<int, MessageSent> next)
    {
        var server = host.Server;
        var token = host.Token("bench-reader-0", Roles.Nurse);
        var arrivals = Channel.CreateUnbounded<(Guid MessageId, long At)>();
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, NotificationPushes.HubPath), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.WebSocketFactory = async (context, cancellationToken) =>
                {
                    var client = server.CreateWebSocketClient();
                    client.ConfigureRequest = request => request.Headers.Authorization = $"Bearer {token}";
                    return await client.ConnectAsync(context.Uri, cancellationToken);
                };
            })
            .Build();
        connection.On<MessageArrived>(NotificationPushes.MessageArrivedMethod, push => arrivals.Writer.TryWrite((push.MessageId, Stopwatch.GetTimestamp())));
        await connection.StartAsync();

        var latency = new Latency();
        for (var i = 0; i < pushes; i++)
        {
            var message = next(i);
            var published = Stopwatch.GetTimestamp();
            await servers.Bus.Publish(message);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                var (messageId, at) = await arrivals.Reader.ReadAsync(timeout.Token);
                if (messageId == message.MessageId)
                {
                    latency.Record(Stopwatch.GetElapsedTime(published, at));
                    break;
                }
            }
        }

        return latency;
    }

    private static Task PublishAsync(BenchServers servers, IReadOnlyList<MessageSent> messages) =>
        Task.WhenAll(messages.Chunk(Math.Max(1, messages.Count / 8)).Select(async chunk =>
        {
            foreach (var message in chunk)
            {
                await servers.Bus.Publish(message);
            }
        }));
}
