using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Aspire.Hosting.Testing;
using CareMessaging.Contracts;
using CareMessaging.ServiceDefaults;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace CareMessaging.EndToEndTests.Faults;

/// <summary>Faults break the stack they run on for a while: they get a stack of their own.</summary>
[CollectionDefinition(Name)]
public sealed class FaultStackCollection : ICollectionFixture<CareMessagingStack>
{
    public const string Name = "faults";
}

/// <summary>One fault injected into the whole stack while users are sending.</summary>
public enum Fault
{
    BrokerStoppedAndStarted,
    RedisFlushed,
    PostgresKilledAndStarted,
    ConversationServiceKilledAndStarted,
    NotificationServiceKilledAndStarted,
    AuditServiceKilledAndStarted,
    StatsServiceKilledAndStarted,
}

/// <summary>
/// The whole stack under a steady workload of sends through the gateway (<see cref="SteadySends"/>),
/// with one fault mid-run: nothing acknowledged is lost or doubled, no answer is a 500, and every
/// count the users see converges (<see cref="Convergence"/>). The harness brings back what it broke,
/// so these hold whether or not the AppHost restarts crashed processes itself.
/// </summary>
[Collection(FaultStackCollection.Name)]
public sealed class WholeStackFaultTests(CareMessagingStack stack, ITestOutputHelper output)
{
    /// <summary>Messages acknowledged before the fault, and again after it, so the fault lands mid-stream and the stream recovers.</summary>
    private const int Flowing = 20;

    [Theory]
    [InlineData(Fault.BrokerStoppedAndStarted)]
    [InlineData(Fault.RedisFlushed)]
    [InlineData(Fault.PostgresKilledAndStarted)]
    [InlineData(Fault.ConversationServiceKilledAndStarted)]
    [InlineData(Fault.NotificationServiceKilledAndStarted)]
    [InlineData(Fault.AuditServiceKilledAndStarted)]
    [InlineData(Fault.StatsServiceKilledAndStarted)]
    public async Task A_fault_mid_workload_loses_no_acknowledged_message_and_every_count_converges(Fault fault)
    {
        var started = Stopwatch.GetTimestamp();
        await using var workload = await SteadySends.StartAsync(stack);
        var before = await workload.AcknowledgedAtLeastAsync(Flowing);

        var faultAt = Stopwatch.GetTimestamp();
        await InjectAsync(fault, workload);
        var recoveredAt = Stopwatch.GetTimestamp();
        var acknowledged = await workload.AcknowledgedAtLeastAsync(workload.AcknowledgedCount + Flowing);
        await workload.StopAsync();
        output.WriteLine($"{fault}: {before} acknowledged before, fault for {Stopwatch.GetElapsedTime(faultAt, recoveredAt).TotalSeconds:0.0} s, {acknowledged} by the end; {workload.Describe()}");

        await Convergence.AssertAsync(stack, workload, output);
        output.WriteLine($"{fault}: the whole test took {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
    }

    private async Task InjectAsync(Fault fault, SteadySends workload)
    {
        switch (fault)
        {
            case Fault.BrokerStoppedAndStarted:
                await stack.StopResourceAsync(ResourceNames.Messaging);
                // Sends go on while the broker is away: their events wait in the outbox.
                await workload.AcknowledgedAtLeastAsync(workload.AcknowledgedCount + Flowing);
                await AssertReadinessWithoutBrokerAsync();
                await stack.StartResourceAsync(ResourceNames.Messaging);
                await AssertReadyAgainAsync();
                break;
            case Fault.RedisFlushed:
                await FlushRedisAsync();
                await workload.AcknowledgedAtLeastAsync(workload.AcknowledgedCount + Flowing);
                break;
            case Fault.PostgresKilledAndStarted:
                await KillAndBringBackAsync(ResourceNames.Postgres, workload);
                break;
            case Fault.ConversationServiceKilledAndStarted:
                await KillAndBringBackAsync(ResourceNames.Conversation, workload);
                break;
            case Fault.NotificationServiceKilledAndStarted:
                await KillAndBringBackAsync(ResourceNames.Notification, workload);
                break;
            case Fault.AuditServiceKilledAndStarted:
                await KillAndBringBackAsync(ResourceNames.Audit, workload);
                break;
            case Fault.StatsServiceKilledAndStarted:
                await KillAndBringBackAsync(ResourceNames.Stats, workload);
                break;
        }
    }

    private async Task KillAndBringBackAsync(string resource, SteadySends workload)
    {
        var failedBefore = workload.FailedAttempts;
        await stack.KillAsync(resource);
        if (resource is ResourceNames.Postgres or ResourceNames.Conversation)
        {
            // Sends need these two: the clients feel the crash before it is repaired.
            await workload.FailedAtLeastAsync(failedBefore + 1);
        }
        else
        {
            // The others are behind the outbox and the broker: sends go on while they are down.
            await workload.AcknowledgedAtLeastAsync(workload.AcknowledgedCount + Flowing);
        }

        // The databases are not waited for: the AppHost reports them failed once their server died,
        // and what matters is that the services reconnect, which the workload's next acknowledgements show.
        await stack.BringBackAsync(resource);
    }

    /// <summary>Services that stay ready without the broker, reporting it Degraded.</summary>
    private static readonly string[] ServingWithoutBroker = [ResourceNames.Notification, ResourceNames.Conversation, ResourceNames.Gateway];

    /// <summary>
    /// The event services serve from their stores and their queues keep the events, the
    /// Conversation service's outbox keeps its events, and the gateway still serves both: they stay
    /// ready while the broker is away, reporting it Degraded. Identity cannot take a sign-in without
    /// it: it is not ready until the broker is back.
    /// </summary>
    private async Task AssertReadinessWithoutBrokerAsync()
    {
        foreach (var service in ServingWithoutBroker)
        {
            var (status, broker) = await BrokerHealthAsync(service);
            Assert.True(status == HttpStatusCode.OK, $"{service} is not ready while the broker is away (broker {broker})");
            Assert.Equal("Degraded", broker);
        }

        var (identityStatus, identityBroker) = await BrokerHealthAsync(ResourceNames.Identity);
        Assert.True(identityStatus == HttpStatusCode.ServiceUnavailable, $"identity answers {(int)identityStatus} on /health while the broker is away (broker {identityBroker})");
        Assert.Equal("Unhealthy", identityBroker);
    }

    private async Task AssertReadyAgainAsync()
    {
        foreach (var service in ServingWithoutBroker.Append(ResourceNames.Identity))
        {
            var (status, broker) = await Eventually.Until(() => BrokerHealthAsync(service), h => h.Broker == "Healthy", TestTimeouts.ResourceStart);
            Assert.True(status == HttpStatusCode.OK, $"{service} is not ready again once the broker is back (broker {broker})");
            Assert.Equal("Healthy", broker);
        }
    }

    private async Task<(HttpStatusCode Status, string? Broker)> BrokerHealthAsync(string service)
    {
        using var client = stack.App.CreateHttpClient(service, "http");
        using var health = await client.GetAsync("/health");
        using var report = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        return (health.StatusCode, report.RootElement.GetProperty("entries").GetProperty(BrokerProbe.Name).GetProperty("status").GetString());
    }

    private async Task FlushRedisAsync()
    {
        var connectionString = await stack.GetConnectionStringAsync(ResourceNames.Redis);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString + ",allowAdmin=true");
        await redis.GetServers().Single().FlushAllDatabasesAsync();
    }
}

/// <summary>What a user and an API client see while the Conversation service is down.</summary>
[Collection(FaultStackCollection.Name)]
public sealed class ServiceDownTests(CareMessagingStack stack)
{
    [Fact]
    public async Task While_the_conversation_service_is_down_browsers_get_the_503_page_and_api_clients_a_problem_with_Retry_After()
    {
        using var browser = GatewayBrowser.For(stack);
        await browser.SignInAsync(DemoUsers.ByUserName("sarah.chen").UserName, DemoUsers.Password);

        await stack.KillAsync(ResourceNames.Conversation);
        try
        {
            // 503 when the connection is refused; 504 after the gateway's activity timeout when something
            // in between (the AppHost's local proxy) accepts it and never answers. Never a 500 or a 502.
            using var api = await browser.Client.GetAsync("/api/conversations");
            Assert.Contains(api.StatusCode, new[] { HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout });
            Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
            Assert.Contains("\"service\":\"conversation\"", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.True(api.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After on the API's 503");

            using var request = new HttpRequestMessage(HttpMethod.Get, "/inbox");
            request.Headers.Accept.ParseAdd("text/html");
            using var page = await browser.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Temporarily unavailable", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.True(page.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After on the 503 page");
        }
        finally
        {
            await stack.BringBackAsync(ResourceNames.Conversation);
        }

        using var back = await Eventually.Until(() => browser.Client.GetAsync("/api/conversations"), r => r.IsSuccessStatusCode, TestTimeouts.ResourceStart);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }
}
