using System.Diagnostics.Metrics;
using CareMessaging.Contracts;
using CareMessaging.ServiceDefaults.Telemetry;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CareMessaging.UnitTests.ServiceDefaults;

public sealed class ConsumerLagTests
{
    [Fact]
    public async Task An_event_consumed_three_seconds_after_it_happened_is_a_lag_of_three_seconds_on_its_queue()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var lag = new TaskCompletionSource<(double Seconds, Dictionary<string, object?> Attributes)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddMetrics()
            .AddConsumeObserver<ConsumerLagObserver>()
            .AddMassTransitTestHarness(bus => bus.AddConsumer<HappenedConsumer>().Endpoint(e => e.Name = "audit-something-happened"))
            .BuildServiceProvider(validateScopes: true);
        using var listener = Listen(provider.GetRequiredService<IMeterFactory>(), lag);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        await harness.Bus.Publish(new SomethingHappened(Guid.NewGuid(), clock.GetUtcNow().AddSeconds(-3)));

        var (seconds, attributes) = await lag.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3, seconds, precision: 3);
        Assert.Equal("audit-something-happened", attributes[ProductTelemetry.Attributes.Queue]);
        Assert.Equal(nameof(SomethingHappened), attributes[ProductTelemetry.Attributes.EventType]);
    }

    private static MeterListener Listen(IMeterFactory meters, TaskCompletionSource<(double, Dictionary<string, object?>)> lag)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == ConsumerLagObserver.InstrumentName && instrument.Meter.Scope == meters)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
            lag.TrySetResult((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();
        return listener;
    }

    public sealed record SomethingHappened(Guid EventId, DateTimeOffset OccurredAt) : IIntegrationEvent;

    public sealed class HappenedConsumer : IConsumer<SomethingHappened>
    {
        public Task Consume(ConsumeContext<SomethingHappened> context) => Task.CompletedTask;
    }
}
