using System.Diagnostics;
using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using Microsoft.Extensions.DependencyInjection;

namespace CareMessaging.EventsBench;

/// <summary>The hash-chained trail: consumer throughput, append latency under concurrency, and a full verification.</summary>
internal static class AuditBench
{
    private const int Writers = 8;

    public static async Task RunAsync(BenchServers servers, int events)
    {
        await using var host = new BenchHost<AuditTrail>(ResourceNames.Audit, new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ResourceNames.AuditDb}"] = servers[ResourceNames.AuditDb],
            [$"ConnectionStrings:{ResourceNames.Messaging}"] = servers[ResourceNames.Messaging],
            ["Audit:Retention:Enabled"] = "false",
        });
        var consumed = ConsumedCounter.Attach(host.Services);
        var conversation = Guid.NewGuid();
        ConversationAccessed Next(int _) => new ConversationAccessed(new ConversationEventHeader(Guid.NewGuid(), DateTimeOffset.UtcNow, "bench-nurse", Roles.Nurse, conversation, "P-BENCH", "bench-team"))
        {
            CorrelationId = ActivityTraceId.CreateRandom().ToHexString(), ClientIp = "192.0.2.1",
        };

        foreach (var warmUp in Enumerable.Range(0, 200).Select(Next))
        {
            await servers.Bus.Publish(warmUp);
        }

        await consumed.WaitForAsync(200, TimeSpan.FromMinutes(1));

        var burst = Enumerable.Range(0, events).Select(Next).ToList();
        var start = consumed.Count;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(burst.Chunk(Math.Max(1, events / 8)).Select(async chunk =>
        {
            foreach (var accessed in chunk)
            {
                await servers.Bus.Publish(accessed);
            }
        }));
        await consumed.WaitForAsync(start + events, TimeSpan.FromMinutes(5));
        clock.Stop();
        Console.WriteLine($"Audit consumer: {events} ConversationAccessed events in {clock.Elapsed.TotalSeconds:0.00} s = {events / clock.Elapsed.TotalSeconds:0} appends/s");

        var latency = new Latency();
        var perWriter = Math.Max(1, events / Writers / 4);
        clock.Restart();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(async _ =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
            for (var i = 0; i < perWriter; i++)
            {
                var entry = Next(i);
                var began = Stopwatch.GetTimestamp();
                await trail.AppendAsync(new AuditEntry
                {
                    EventId = entry.EventId, OccurredAt = entry.OccurredAt, Action = AuditActions.ConversationViewed, ActorId = entry.ActorId,
                    ActorRole = entry.ActorRole, SourceService = ResourceNames.Conversation, PatientId = entry.PatientId,
                    ConversationId = entry.ConversationId, CorrelationId = entry.CorrelationId, ClientIp = entry.ClientIp,
                }, CancellationToken.None);
                latency.Record(Stopwatch.GetElapsedTime(began));
            }
        }));
        clock.Stop();
        Console.WriteLine($"Audit append with {Writers} concurrent writers: {Writers * perWriter / clock.Elapsed.TotalSeconds:0} appends/s, latency {latency.Summary()}");

        await using (var scope = host.Services.CreateAsyncScope())
        {
            clock.Restart();
            var verification = await scope.ServiceProvider.GetRequiredService<AuditTrail>().VerifyAsync(CancellationToken.None);
            clock.Stop();
            Console.WriteLine($"Audit verify: {verification.RecordsChecked} records in {clock.Elapsed.TotalMilliseconds:0} ms (valid: {verification.Valid})");
        }
    }
}
