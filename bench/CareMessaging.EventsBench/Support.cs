using System.Collections.Concurrent;
using CareMessaging.Contracts;
using CareMessaging.Testing;
using HdrHistogram;
using MassTransit;

namespace CareMessaging.EventsBench;

internal static class Arguments
{
    public static int Int(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
    }
}

/// <summary>Connection strings of the benchmark's servers and a bus that publishes onto its RabbitMQ.</summary>
internal sealed class BenchServers(IReadOnlyDictionary<string, string> connectionStrings, IBusControl bus)
{
    public IBusControl Bus { get; } = bus;

    public string this[string resource] => connectionStrings[resource];

    public static async Task<BenchServers> ConnectAsync(InfrastructureStack infrastructure)
    {
        var strings = new Dictionary<string, string>();
        foreach (var name in new[] { ResourceNames.Redis, ResourceNames.AuditDb, ResourceNames.Messaging })
        {
            strings[name] = await infrastructure.GetConnectionStringAsync(name);
        }

        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(strings[ResourceNames.Messaging])));
        await bus.StartAsync();
        return new BenchServers(strings, bus);
    }
}

/// <summary>Counts consumed events, to know when a burst has been applied.</summary>
internal sealed class ConsumedCounter : IConsumeObserver
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public static ConsumedCounter Attach(IServiceProvider services)
    {
        var counter = new ConsumedCounter();
        ((IConsumeObserverConnector)services.GetService(typeof(IBus))!).ConnectConsumeObserver(counter);
        return counter;
    }

    public async Task WaitForAsync(long target, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (Count < target && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        if (Count < target)
        {
            throw new TimeoutException($"Only {Count} of {target} events were consumed within {within}.");
        }
    }

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is IIntegrationEvent)
        {
            Interlocked.Increment(ref _count);
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}

/// <summary>Latency in microseconds, up to a minute, three significant digits.</summary>
internal sealed class Latency
{
    private readonly LongHistogram _histogram = new(60_000_000, 3);
    private readonly ConcurrentQueue<long> _pending = new();

    public void Record(TimeSpan elapsed) => _pending.Enqueue((long)Math.Max(1, elapsed.TotalMicroseconds));

    public string Summary()
    {
        while (_pending.TryDequeue(out var value))
        {
            _histogram.RecordValue(value);
        }

        static string Ms(long microseconds) => $"{microseconds / 1000.0:0.00} ms";
        return $"p50 {Ms(_histogram.GetValueAtPercentile(50))}, p95 {Ms(_histogram.GetValueAtPercentile(95))}, " +
               $"p99 {Ms(_histogram.GetValueAtPercentile(99))}, max {Ms(_histogram.GetMaxValue())} (n={_histogram.TotalCount})";
    }
}
