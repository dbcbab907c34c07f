using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Notifications;
using CareMessaging.EventServiceTests.Infrastructure;
using CareMessaging.Testing;
using StackExchange.Redis;

namespace CareMessaging.EventServiceTests.Notification;

/// <summary>
/// While Redis holds no complete counters (first start, a flush) the service answers no counts and
/// reports not ready, however long the Conversation service takes to answer; once the rebuild is
/// done both the counts and the readiness are right (docs/decisions/0036-not-ready-until-counters-are-built.md).
/// </summary>
[Collection(EventServicesCollection.Name)]
public sealed class NotificationReadinessTests(EventServicesFixture fixture)
{
    [Fact]
    public async Task While_counters_are_missing_unread_is_503_and_the_service_not_ready_then_right_counts_and_ready_after_the_rebuild()
    {
        var (clinician, nurse, patient, world, conversation) = NewTeamConversation();
        world.Send(patient, conversation);
        world.Send(clinician, conversation);
        world.Read(clinician, conversation);
        var (other, _) = world.Start(patient, patient.PatientId!, conversation.CareTeamId, [clinician.Id, nurse.Id, patient.Id]);

        using var nurseClient = fixture.Notification.CreateClient(nurse);
        using var probe = fixture.Notification.CreateClient(user: null);
        fixture.ReadModel.World = world;
        fixture.ReadModel.Available = false;
        try
        {
            await FlushRedisAsync();

            // The rebuild fails for as long as the Conversation service does not answer: no zeros meanwhile.
            var unavailableBefore = fixture.ReadModel.UnavailableRequests;
            await Eventually.Until(() => Task.FromResult(fixture.ReadModel.UnavailableRequests), n => n > unavailableBefore);
            Assert.True(fixture.ReadModel.UnavailableRequests > unavailableBefore, "the service did not try to rebuild the counters");

            using (var refused = await nurseClient.GetAsync("/api/notifications/unread"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
                var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal("Unread counts are being rebuilt", problem.GetProperty("title").GetString());
                Assert.Equal(503, problem.GetProperty("status").GetInt32());
                Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After on the 503");
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, await EventServicesFixture.HealthAsync(probe));
            using (var health = await probe.GetAsync("/health"))
            {
                var entry = (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries").GetProperty("unread-counters");
                Assert.Equal("Unhealthy", entry.GetProperty("status").GetString());
            }

            Assert.Equal(HttpStatusCode.OK, await EventServicesFixture.HealthAsync(probe, "/alive"));
        }
        finally
        {
            fixture.ReadModel.Available = true;
        }

        var ready = await Eventually.Until(() => EventServicesFixture.HealthAsync(probe), s => s == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, ready);
        var summary = await fixture.Notification.GetUnreadAsync(nurse);
        Assert.Equal(4, summary.Total);
        Assert.Equal([new ConversationUnread(conversation.Id, 3), new ConversationUnread(other.Id, 1)], summary.Conversations);
        var clinicianSummary = (await fixture.Notification.TryGetUnreadAsync(clinician))!;
        Assert.Equal(1, clinicianSummary.Total);
    }

    [Fact]
    public async Task A_message_consumed_while_counters_are_rebuilt_pushes_its_arrival_but_no_total_until_the_counters_are_complete_then_pages_are_told_to_read_again()
    {
        var (clinician, nurse, patient, world, conversation) = NewTeamConversation();
        await using var nursePushes = await PushListener.ConnectAsync(fixture.Notification, nurse);
        fixture.ReadModel.World = world;
        fixture.ReadModel.Available = false;
        var flushedAt = nursePushes.Now;
        try
        {
            await FlushRedisAsync();
            var duringRebuild = world.Send(patient, conversation);
            await fixture.PublishAsync(duringRebuild);
            await nursePushes.NextArrivalAsync(duringRebuild.MessageId);
            Assert.True(await fixture.NotificationConsumed.WaitForAsync(duringRebuild.EventId));
        }
        finally
        {
            fixture.ReadModel.Available = true;
        }

        using var probe = fixture.Notification.CreateClient(user: null);
        Assert.Equal(HttpStatusCode.OK, await Eventually.Until(() => EventServicesFixture.HealthAsync(probe), s => s == HttpStatusCode.OK));
        // Connected pages are told to read their counts again once the rebuild is complete.
        await nursePushes.RebuiltAfterAsync(flushedAt);
        var afterRebuild = world.Send(patient, conversation);
        await fixture.PublishAsync(afterRebuild);

        // The first total the nurse's badge is sent counts all three messages: the message consumed
        // during the rebuild pushed no total counted from incomplete counters.
        var (push, _) = await nursePushes.NextUnreadAsync(conversation.Id);
        Assert.Equal(new UnreadChanged(3, conversation.Id, 3), push);
    }

    /// <summary>A care team of its own (a clinician and a nurse) and a conversation the patient started with it.</summary>
    private static (TestUser Clinician, TestUser Nurse, TestUser Patient, ConversationWorld World, WorldConversation Conversation) NewTeamConversation()
    {
        var teamId = $"team-{Guid.NewGuid():N}";
        var clinician = TestUser.Staff(Roles.Clinician, teamId);
        var nurse = TestUser.Staff(Roles.Nurse, teamId);
        var patient = TestUser.Patient($"P-{Random.Shared.Next(100_000, 999_999)}");
        var world = new ConversationWorld();
        var (conversation, _) = world.Start(patient, patient.PatientId!, teamId, [clinician.Id, nurse.Id, patient.Id]);
        return (clinician, nurse, patient, world, conversation);
    }

    private async Task FlushRedisAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.RedisConnectionString + ",allowAdmin=true");
        await redis.GetServers().Single().FlushDatabaseAsync();
    }
}
