using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.Contracts;
using CareMessaging.EventServiceTests.Infrastructure;

namespace CareMessaging.EventServiceTests.Outages;

/// <summary>
/// The Stats, Audit and Notification services while their store is down or silent: every route
/// that needs it answers 503 with Retry-After within seconds, naming what is unavailable, readiness
/// says so while liveness does not, and both recover with the store. Each service is hosted here
/// behind a <see cref="TcpGate"/> of its own, so the shared servers stay up for the other tests
/// (docs/decisions/0059-outages-are-503-with-retry-after.md).
/// </summary>
[Collection(EventServicesCollection.Name)]
public sealed class StoreOutageTests(EventServicesFixture fixture)
{
    [Fact]
    public async Task While_statsdb_is_down_the_figures_are_503_with_Retry_After_not_a_minute_of_retries_and_they_come_back_with_it()
    {
        var nurse = TestUser.Staff(Roles.Nurse, $"team-{Guid.NewGuid():N}");
        await using var gate = TcpGate.InFrontOfPostgres(fixture.StatsDbConnectionString);
        await using var stats = fixture.CreateStats(gate.ConnectionString);
        using var client = stats.CreateClient(nurse);
        using var probe = stats.CreateClient(user: null);
        await WaitUntilReadyAsync(probe);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/stats")).StatusCode);

        gate.Cut();

        await AssertUnavailableAsync(await client.GetAsync("/api/stats"), "database");
        await AssertNotReadyButAliveAsync(probe, "StatsDbContext");

        gate.Restore();
        await AssertRecoversAsync(client, "/api/stats", probe);
    }

    [Fact]
    public async Task A_statsdb_that_stops_answering_is_a_503_within_the_connect_timeout_rather_than_a_request_that_hangs()
    {
        var nurse = TestUser.Staff(Roles.Nurse, $"team-{Guid.NewGuid():N}");
        await using var gate = TcpGate.InFrontOfPostgres(fixture.StatsDbConnectionString);
        await using var stats = fixture.CreateStats(gate.ConnectionString);
        using var client = stats.CreateClient(nurse);
        using var probe = stats.CreateClient(user: null);
        await WaitUntilReadyAsync(probe);

        gate.StopAnswering();

        // The test client gives up after a minute; the service must answer long before that.
        await AssertUnavailableAsync(await client.GetAsync("/api/stats"), "database");
        await AssertNotReadyButAliveAsync(probe, "StatsDbContext");

        gate.Restore();
        await AssertRecoversAsync(client, "/api/stats", probe);
    }

    [Fact]
    public async Task While_auditdb_is_down_search_viewers_verify_and_export_are_503_with_Retry_After_and_come_back_with_it()
    {
        var officer = TestUser.Compliance();
        await using var gate = TcpGate.InFrontOfPostgres(fixture.AuditDbConnectionString);
        await using var audit = fixture.CreateAudit(gate.ConnectionString);
        using var client = audit.CreateClient(officer);
        using var probe = audit.CreateClient(user: null);
        await WaitUntilReadyAsync(probe);
        var range = $"from={DateTimeOffset.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}&to={DateTimeOffset.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}";

        gate.Cut();

        foreach (var route in new[] { "/api/audit/records?limit=5", "/api/audit/patients/P-100201/viewers", "/api/audit/verify", $"/api/audit/export?{range}&format=csv" })
        {
            await AssertUnavailableAsync(await client.GetAsync(route), "database");
        }

        await AssertNotReadyButAliveAsync(probe, "AuditDbContext");

        gate.Restore();
        await AssertRecoversAsync(client, "/api/audit/verify", probe);
    }

    [Fact]
    public async Task While_redis_is_down_unread_is_503_with_Retry_After_and_the_counts_come_back_with_it()
    {
        var nurse = TestUser.Staff(Roles.Nurse, $"team-{Guid.NewGuid():N}");
        await using var gate = TcpGate.InFrontOfRedis(fixture.RedisConnectionString);
        await using var notification = fixture.CreateNotification(gate.ConnectionString);
        using var client = notification.CreateClient(nurse);
        using var probe = notification.CreateClient(user: null);
        await WaitUntilReadyAsync(probe);

        gate.Cut();

        await AssertUnavailableAsync(await client.GetAsync("/api/notifications/unread"), "redis");
        await AssertNotReadyButAliveAsync(probe, "StackExchange.Redis");

        gate.Restore();
        await AssertRecoversAsync(client, "/api/notifications/unread", probe);
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response, string unavailable)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{response.RequestMessage!.RequestUri!.AbsolutePath} answered {(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(unavailable, JsonDocument.Parse(body).RootElement.GetProperty("unavailable").GetString());
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After on the 503");
            Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
        }
    }

    private static async Task AssertNotReadyButAliveAsync(HttpClient probe, string check)
    {
        var (status, entry) = await Eventually.Until(() => ReadinessAsync(probe, check), r => r.Status == HttpStatusCode.ServiceUnavailable);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), (status, entry));
        Assert.Equal(HttpStatusCode.OK, await EventServicesFixture.HealthAsync(probe, "/alive"));
    }

    private static async Task AssertRecoversAsync(HttpClient client, string route, HttpClient probe)
    {
        var status = await Eventually.Until(async () =>
        {
            using var response = await client.GetAsync(route);
            return response.StatusCode;
        }, s => s == HttpStatusCode.OK, TestTimeouts.ResourceStart);
        Assert.Equal(HttpStatusCode.OK, status);
        await WaitUntilReadyAsync(probe);
    }

    private static async Task WaitUntilReadyAsync(HttpClient probe) =>
        Assert.Equal(HttpStatusCode.OK, await Eventually.Until(() => EventServicesFixture.HealthAsync(probe), s => s == HttpStatusCode.OK, TestTimeouts.ResourceStart));

    private static async Task<(HttpStatusCode Status, string? Entry)> ReadinessAsync(HttpClient probe, string check)
    {
        using var health = await probe.GetAsync("/health");
        var entries = (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries");
        return (health.StatusCode, entries.TryGetProperty(check, out var entry) ? entry.GetProperty("status").GetString() : null);
    }
}
