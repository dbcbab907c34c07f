using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Tests.Infrastructure;

namespace CareMessaging.Conversation.Tests.Outages;

/// <summary>
/// The Conversation service while its database or the broker is down: every route that needs the
/// database answers 503 with Retry-After and says what is unavailable, readiness follows, and the
/// client's retry with the same clientMessageId is stored once when the database is back
/// (docs/decisions/0059-outages-are-503-with-retry-after.md).
/// </summary>
[Collection(ConversationServiceCollection.Name)]
public sealed class StoreOutageTests(ConversationServiceFixture fixture)
{
    [Fact]
    public async Task While_the_database_is_down_every_route_is_503_with_Retry_After_and_the_retried_send_is_stored_once_when_it_is_back()
    {
        var team = await fixture.CreateTeamAsync();
        await using var gate = TcpGate.InFrontOfPostgres(fixture.DatabaseConnectionString);
        await using var service = fixture.CreateFactory(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ResourceNames.ConversationDb}"] = gate.ConnectionString,
            ["Encryption:ActiveKeyId"] = ConversationServiceFixture.FirstKeyId,
            [$"Encryption:Keys:{ConversationServiceFixture.FirstKeyId}"] = fixture.FirstKey,
        });
        using var staff = fixture.Client(fixture.Tokens.Staff(team.StaffIds[0], [team.Id], name: "Staff 0"), service);
        using var probe = fixture.Client(token: null, service);
        var conversation = await staff.StartAsync(team.Patients[0].PatientId);
        var retried = new { body = "Sent while the database restarts", clientMessageId = Api.NewKey() };

        gate.Cut();

        var routes = new Func<Task<HttpResponseMessage>>[]
        {
            () => staff.PostAsJsonAsync($"/api/conversations/{conversation.Id}/messages", retried),
            () => staff.PostAsJsonAsync("/api/conversations", new { patientId = team.Patients[1].PatientId, topic = "Medication review", body = "Please review.", clientMessageId = Api.NewKey() }),
            () => staff.GetAsync("/api/conversations?filter=unread"),
            () => staff.GetAsync("/api/conversations/summary"),
            () => staff.GetAsync($"/api/conversations/{conversation.Id}"),
            () => staff.GetAsync($"/api/conversations/{conversation.Id}/messages"),
            () => staff.PostAsJsonAsync($"/api/conversations/{conversation.Id}/read", new { upToMessageId = conversation.Messages.Items[0].Id }),
            () => staff.PostAsync($"/api/conversations/{conversation.Id}/resolve", content: null),
            () => staff.GetAsync($"/api/patients?q={team.Patients[0].FamilyName}"),
            () => staff.GetAsync($"/api/patients/{team.Patients[0].PatientId}"),
        };
        foreach (var route in routes)
        {
            using var response = await route();
            await AssertDatabaseUnavailableAsync(response);
        }

        using (var health = await probe.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("Unhealthy", (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries").GetProperty("ConversationDbContext").GetProperty("status").GetString());
        }

        using (var alive = await probe.GetAsync("/alive"))
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        gate.Restore();

        // The client retries as it would after a 503: the same clientMessageId, until the service answers.
        var stored = await Eventually.Until(() => staff.PostAsJsonAsync($"/api/conversations/{conversation.Id}/messages", retried), r => r.IsSuccessStatusCode);
        Assert.True(stored.IsSuccessStatusCode, $"the send was not stored after the database came back: {(int)stored.StatusCode}");
        using (var again = await staff.PostAsJsonAsync($"/api/conversations/{conversation.Id}/messages", retried))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        var thread = await staff.ThreadAsync(conversation.Id);
        Assert.Single(thread.Messages.Items, m => m.Body == retried.body);
        Assert.Equal(2, thread.MessageCount);
        Assert.Equal(HttpStatusCode.OK, await Eventually.Until(async () => (await probe.GetAsync("/health")).StatusCode, s => s == HttpStatusCode.OK));
    }

    [Fact]
    public async Task While_the_broker_is_down_sends_go_on_and_the_service_stays_ready()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        using var probe = fixture.Client(token: null);
        var id = (await staff.StartAsync(team.Patients[0].PatientId)).Id;

        await fixture.Infrastructure.StopResourceAsync(ResourceNames.Messaging);
        try
        {
            // The outbox holds the events: neither the sends nor readiness wait on the broker.
            for (var i = 0; i < 5; i++)
            {
                await staff.SendAsync(id, $"During the broker outage {i}");
            }

            using var health = await probe.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        finally
        {
            await fixture.Infrastructure.StartResourceAsync(ResourceNames.Messaging);
        }
    }

    private static async Task AssertDatabaseUnavailableAsync(HttpResponseMessage response)
    {
        var problem = await response.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("database", problem.GetProperty("unavailable").GetString());
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"{response.RequestMessage?.RequestUri?.AbsolutePath}: no Retry-After");
    }
}
