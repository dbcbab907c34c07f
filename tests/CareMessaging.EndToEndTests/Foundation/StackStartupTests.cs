using System.Net;
using System.Text.Json;
using Aspire.Hosting.Testing;
using CareMessaging.Contracts;

namespace CareMessaging.EndToEndTests.Foundation;

[Collection(StackCollection.Name)]
public sealed class StackStartupTests(CareMessagingStack stack)
{
    [Fact]
    public void Every_resource_is_running_and_healthy()
    {
        foreach (var name in CareMessagingStack.AllResources)
        {
            Assert.True(stack.App.ResourceNotifications.TryGetCurrentState(name, out var resource), $"{name} is not in the model");
            Assert.Equal("Running", resource.Snapshot.State?.Text);
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, resource.Snapshot.HealthStatus);
        }
    }

    [Theory]
    [InlineData(ResourceNames.Conversation, "DbContext")]
    [InlineData(ResourceNames.Audit, "DbContext")]
    [InlineData(ResourceNames.Stats, "DbContext")]
    [InlineData(ResourceNames.Identity, "DbContext")]
    [InlineData(ResourceNames.Notification, "Redis")]
    [InlineData(ResourceNames.Notification, "unread-counters")]
    [InlineData(ResourceNames.Stats, "stats-read-model")]
    public async Task Readiness_reports_the_bus_and_the_services_own_store(string service, string store)
    {
        using var client = stack.App.CreateHttpClient(service, "http");
        using var response = await client.GetAsync("/health").WaitAsync(TestTimeouts.Request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var entries = report.RootElement.GetProperty("entries").EnumerateObject()
            .ToDictionary(e => e.Name, e => e.Value.GetProperty("status").GetString());
        Assert.Contains(entries, e => e.Key.Contains("masstransit", StringComparison.OrdinalIgnoreCase) && e.Value == "Healthy");
        Assert.Contains(entries, e => e.Key.Contains(store, StringComparison.OrdinalIgnoreCase) && e.Value == "Healthy");
    }

    [Theory]
    [InlineData(ResourceNames.Conversation)]
    [InlineData(ResourceNames.Audit)]
    [InlineData(ResourceNames.Stats)]
    [InlineData(ResourceNames.Identity)]
    public async Task A_first_start_on_empty_databases_logs_no_failed_database_command(string service)
    {
        var lines = (await stack.GetResourceLogsAsync())[service].ToList();
        var migrated = lines.FindIndex(line => line.Contains("is up to date", StringComparison.Ordinal));

        // An operator's first look at the dashboard should find no error to explain away.
        Assert.True(migrated >= 0, $"{service} never logged its migration.");
        Assert.DoesNotContain(lines.Take(migrated), line => line.Contains("Failed executing DbCommand", StringComparison.Ordinal));
    }

    [Fact]
    public void Gateway_starts_on_another_port_when_the_requested_one_is_taken()
    {
        var gateway = stack.App.GetEndpoint(ResourceNames.Gateway, "http");

        Assert.NotEqual(stack.TakenGatewayPort, gateway.Port);
    }
}
