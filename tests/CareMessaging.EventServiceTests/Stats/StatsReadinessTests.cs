using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.Contracts;
using CareMessaging.EventServiceTests.Infrastructure;
using Npgsql;

namespace CareMessaging.EventServiceTests.Stats;

/// <summary>
/// A Stats service with a new database reports not ready until its first rebuild from the
/// Conversation service has completed, so nothing shows its zeros meanwhile
/// (docs/decisions/0036-not-ready-until-counters-are-built.md).
/// </summary>
[Collection(EventServicesCollection.Name)]
public sealed class StatsReadinessTests(EventServicesFixture fixture)
{
    [Fact]
    public async Task A_new_stats_database_is_not_ready_until_the_first_rebuild_is_done_then_its_figures_are_right()
    {
        var team = $"team-{Guid.NewGuid():N}";
        var nurse = TestUser.Staff(Roles.Nurse, team);
        var patient = TestUser.Patient($"P-{Guid.NewGuid():N}"[..12]);
        var world = new ConversationWorld();
        var (conversation, _) = world.Start(patient, patient.PatientId!, team, [nurse.Id, patient.Id]);
        world.Send(patient, conversation);
        fixture.ReadModel.World = world;

        var database = new NpgsqlConnectionStringBuilder(fixture.StatsDbConnectionString) { Database = $"statsdb_{Guid.NewGuid():N}" };
        await using var stats = fixture.CreateStats(database.ConnectionString);
        fixture.ReadModel.Available = false;
        try
        {
            var unavailableBefore = fixture.ReadModel.UnavailableRequests;
            using var probe = stats.CreateClient(user: null);
            await Eventually.Until(() => Task.FromResult(fixture.ReadModel.UnavailableRequests), n => n > unavailableBefore);
            Assert.True(fixture.ReadModel.UnavailableRequests > unavailableBefore, "the new Stats service did not try its first rebuild");

            using var health = await probe.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            var entry = (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries").GetProperty("stats-read-model");
            Assert.Equal("Unhealthy", entry.GetProperty("status").GetString());
            Assert.Equal(HttpStatusCode.OK, await EventServicesFixture.HealthAsync(probe, "/alive"));
        }
        finally
        {
            fixture.ReadModel.Available = true;
        }

        using var readiness = stats.CreateClient(user: null);
        Assert.Equal(HttpStatusCode.OK, await Eventually.Until(() => EventServicesFixture.HealthAsync(readiness), s => s == HttpStatusCode.OK));
        var figures = await stats.GetStatsAsync(nurse);
        Assert.Equal((1L, 2L, 1L, 2L), (figures.TotalConversations, figures.UnreadMessages, figures.UniquePatients, figures.TotalMessages));
    }
}
