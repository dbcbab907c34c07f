using System.Net;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.EventServiceTests.Infrastructure;
using CareMessaging.Testing;
using StackExchange.Redis;

namespace CareMessaging.EventServiceTests.Notification;

[Collection(EventServicesCollection.Name)]
public sealed class NotificationTests(EventServicesFixture fixture)
{
    private sealed record CareTeam(string Id, TestUser Sender, TestUser Nurse, TestUser Clerk, TestUser Patient)
    {
        public static CareTeam Create()
        {
            var id = $"team-{Guid.NewGuid():N}";
            return new CareTeam(id, TestUser.Staff(Roles.Clinician, id), TestUser.Staff(Roles.Nurse, id), TestUser.Staff(Roles.Staff, id),
                TestUser.Patient($"P-{Random.Shared.Next(100_000, 999_999)}"));
        }

        public string[] Audience => [Sender.Id, Nurse.Id, Clerk.Id, Patient.Id];
    }

    [Fact]
    public async Task Staff_message_raises_unread_by_one_for_the_patient_and_each_teammate_and_pushes_it_to_those_connected()
    {
        var team = CareTeam.Create();
        var world = new ConversationWorld();
        await using var patientPushes = await PushListener.ConnectAsync(fixture.Notification, team.Patient);
        await using var nursePushes = await PushListener.ConnectAsync(fixture.Notification, team.Nurse);

        var (conversation, opening) = world.Start(team.Sender, team.Patient.PatientId!, team.Id, team.Audience);
        await fixture.PublishAsync(opening);
        await patientPushes.NextUnreadAsync(conversation.Id);
        await nursePushes.NextUnreadAsync(conversation.Id);

        var reply = world.Send(team.Sender, conversation);
        await fixture.PublishAsync(reply);

        // How fast is EventsBench's question; here, that the pushes come at all.
        var (patientUnread, _) = await patientPushes.NextUnreadAsync(conversation.Id);
        var (nurseUnread, _) = await nursePushes.NextUnreadAsync(conversation.Id);
        var (arrived, _) = await patientPushes.NextArrivalAsync(reply.MessageId);
        Assert.Equal(new(2, conversation.Id, 2), patientUnread);
        Assert.Equal(new(2, conversation.Id, 2), nurseUnread);
        Assert.Equal(new(conversation.Id, reply.MessageId, 2), arrived);

        Assert.Equal(2, await fixture.Notification.GetUnreadAsync(team.Patient, conversation.Id));
        Assert.Equal(2, await fixture.Notification.GetUnreadAsync(team.Nurse, conversation.Id));
        Assert.Equal(2, await fixture.Notification.GetUnreadAsync(team.Clerk, conversation.Id));
        var sender = await fixture.Notification.GetUnreadAsync(team.Sender);
        Assert.Equal(0, sender.Total);
        Assert.Empty(sender.Conversations);
    }

    [Fact]
    public async Task Reading_clears_the_readers_unread_and_pushes_the_new_total_while_others_keep_theirs()
    {
        var team = CareTeam.Create();
        var world = new ConversationWorld();
        var (first, opening) = world.Start(team.Patient, team.Patient.PatientId!, team.Id, team.Audience);
        var (second, otherOpening) = world.Start(team.Patient, team.Patient.PatientId!, team.Id, team.Audience);
        var last = world.Send(team.Patient, first);
        await fixture.PublishAsync([.. opening, .. otherOpening, last]);
        // Consumed, pushes included, before the listener connects: the next push it gets is the read's.
        Assert.True(await fixture.NotificationConsumed.WaitForAsync(last.EventId));
        Assert.True(await fixture.NotificationConsumed.WaitForAsync(otherOpening[1].EventId));
        Assert.True(await fixture.NotificationConsumed.WaitForAsync(opening[1].EventId));
        Assert.Equal(3, (await fixture.Notification.GetUnreadAsync(team.Nurse)).Total);

        await using var nursePushes = await PushListener.ConnectAsync(fixture.Notification, team.Nurse);
        await fixture.PublishAsync(world.Read(team.Nurse, first));

        var (push, _) = await nursePushes.NextUnreadAsync(first.Id);
        Assert.Equal(new(1, first.Id, 0), push);
        var nurse = await fixture.Notification.GetUnreadAsync(team.Nurse);
        Assert.Equal(1, nurse.Total);
        Assert.Equal([new(second.Id, 1)], nurse.Conversations);
        Assert.Equal(3, (await fixture.Notification.GetUnreadAsync(team.Clerk)).Total);
        Assert.Equal(0, (await fixture.Notification.GetUnreadAsync(team.Patient)).Total);
    }

    [Fact]
    public async Task A_redelivered_or_replayed_event_changes_nothing()
    {
        var team = CareTeam.Create();
        var world = new ConversationWorld();
        var (conversation, opening) = world.Start(team.Patient, team.Patient.PatientId!, team.Id, team.Audience);
        var second = world.Send(team.Patient, conversation);
        var third = world.Send(team.Patient, conversation);
        var read = world.Read(team.Clerk, conversation);
        await fixture.PublishAsync([.. opening, second, third, read]);
        Assert.True(await fixture.NotificationConsumed.WaitForAsync(read.EventId));
        Assert.Equal(3, await fixture.Notification.GetUnreadAsync(team.Nurse, conversation.Id));

        // The same events again (a redelivery), and the same message under a new event id (an outbox replay).
        var replay = second with { EventId = Guid.NewGuid() };
        await fixture.PublishAsync(second, third, read, replay);
        Assert.True(await fixture.NotificationConsumed.WaitForAsync(second.EventId, times: 2));
        Assert.True(await fixture.NotificationConsumed.WaitForAsync(third.EventId, times: 2));
        Assert.True(await fixture.NotificationConsumed.WaitForAsync(read.EventId, times: 2));
        Assert.True(await fixture.NotificationConsumed.WaitForAsync(replay.EventId));

        Assert.Equal(3, await fixture.Notification.GetUnreadAsync(team.Nurse, conversation.Id));
        Assert.Equal(3, (await fixture.Notification.GetUnreadAsync(team.Nurse)).Total);
        Assert.Equal(0, (await fixture.Notification.GetUnreadAsync(team.Clerk)).Total);
    }

    [Fact]
    public async Task Messages_and_reads_are_consumed_from_their_own_notification_queues()
    {
        var team = CareTeam.Create();
        var world = new ConversationWorld();
        var (conversation, opening) = world.Start(team.Patient, team.Patient.PatientId!, team.Id, team.Audience);
        var sent = (MessageSent)opening[1];
        var read = world.Read(team.Nurse, conversation);
        await fixture.PublishAsync(sent, read);

        Assert.True(await fixture.NotificationConsumed.WaitForAsync(sent.EventId));
        Assert.True(await fixture.NotificationConsumed.WaitForAsync(read.EventId));
        Assert.Equal("notification-message-sent", Assert.Single(fixture.NotificationConsumed.QueuesOf(sent.EventId)));
        Assert.Equal("notification-conversation-read", Assert.Single(fixture.NotificationConsumed.QueuesOf(read.EventId)));
    }

    [Fact]
    public async Task A_read_that_arrives_before_the_messages_it_covers_leaves_them_read()
    {
        var team = CareTeam.Create();
        var world = new ConversationWorld();
        var (conversation, opening) = world.Start(team.Patient, team.Patient.PatientId!, team.Id, team.Audience);
        var second = world.Send(team.Patient, conversation);
        var read = world.Read(team.Nurse, conversation);
        var third = world.Send(team.Patient, conversation);

        await fixture.PublishAsync(read);
        Assert.True(await fixture.NotificationConsumed.WaitForAsync(read.EventId));
        await fixture.PublishAsync([third, second, .. opening]);
        foreach (var message in new[] { third, second, (MessageSent)opening[1] })
        {
            Assert.True(await fixture.NotificationConsumed.WaitForAsync(message.EventId));
        }

        Assert.Equal(1, await fixture.Notification.GetUnreadAsync(team.Nurse, conversation.Id));
        Assert.Equal(3, await fixture.Notification.GetUnreadAsync(team.Clerk, conversation.Id));
    }

    [Fact]
    public async Task Counters_lost_from_redis_are_rebuilt_from_the_conversation_export_and_equal_it()
    {
        var teams = new[] { CareTeam.Create(), CareTeam.Create() };
        var world = new ConversationWorld();
        var events = new List<IIntegrationEvent>();
        foreach (var team in teams)
        {
            for (var i = 0; i < 3; i++)
            {
                var (conversation, opening) = world.Start(team.Patient, team.Patient.PatientId!, team.Id, team.Audience);
                events.AddRange(opening);
                events.Add(world.Send(team.Sender, conversation));
                events.Add(world.Send(team.Patient, conversation));
                if (i > 0)
                {
                    events.Add(world.Read(team.Nurse, conversation));
                }
            }
        }

        await fixture.PublishAsync(events);
        var users = teams.SelectMany(t => new[] { t.Sender, t.Nurse, t.Clerk, t.Patient }).ToList();
        await AssertCountersEqualWorldAsync(world, users);

        fixture.ReadModel.World = world;
        var exportRequests = fixture.ReadModel.Requests;
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(fixture.RedisConnectionString + ",allowAdmin=true"))
        {
            await redis.GetServers().Single().FlushDatabaseAsync();
        }

        // A message sent while the counters are being rebuilt counts once.
        await fixture.PublishAsync(world.Send(teams[0].Patient, world.Conversations[0]));

        await AssertCountersEqualWorldAsync(world, users);
        Assert.True(fixture.ReadModel.Requests > exportRequests, "the export was not read: the counters were not rebuilt");
    }

    [Fact]
    public async Task Only_an_admin_can_ask_for_a_rebuild_and_it_restores_the_counters()
    {
        var team = CareTeam.Create();
        var world = new ConversationWorld();
        var (conversation, _) = world.Start(team.Patient, team.Patient.PatientId!, team.Id, team.Audience);
        world.Send(team.Sender, conversation);
        world.Read(team.Clerk, conversation);
        fixture.ReadModel.World = world;

        using var nurse = fixture.Notification.CreateClient(team.Nurse);
        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.PostAsync("/api/notifications/rebuild", null)).StatusCode);
        using var anonymous = fixture.Notification.CreateClient(user: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/notifications/rebuild", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/notifications/unread")).StatusCode);

        using var admin = fixture.Notification.CreateClient(TestUser.Admin());
        var response = await admin.PostAsync("/api/notifications/rebuild", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The patient wrote the first message, the clinician the second, and the clerk has read both.
        Assert.Equal(2, await fixture.Notification.GetUnreadAsync(team.Nurse, conversation.Id));
        Assert.Equal(0, await fixture.Notification.GetUnreadAsync(team.Clerk, conversation.Id));
        Assert.Equal(1, await fixture.Notification.GetUnreadAsync(team.Patient, conversation.Id));
        Assert.Equal(1, await fixture.Notification.GetUnreadAsync(team.Sender, conversation.Id));
    }

    [Fact]
    public async Task Events_consumed_while_redis_is_down_are_counted_once_it_is_back()
    {
        var team = CareTeam.Create();
        var world = new ConversationWorld();
        var (conversation, opening) = world.Start(team.Patient, team.Patient.PatientId!, team.Id, team.Audience);
        await fixture.PublishAsync(opening);
        Assert.Equal(1, (await Eventually.Until(() => fixture.Notification.GetUnreadAsync(team.Nurse), s => s.Total == 1)).Total);

        await fixture.Infrastructure.StopResourceAsync(ResourceNames.Redis);
        try
        {
            await fixture.PublishAsync(world.Send(team.Patient, conversation), world.Send(team.Patient, conversation));
        }
        finally
        {
            await fixture.Infrastructure.StartResourceAsync(ResourceNames.Redis);
        }

        var nurse = await Eventually.Until(() => fixture.Notification.TryGetUnreadAsync(team.Nurse), s => s?.Total == 3, TestTimeouts.ResourceStart);
        Assert.Equal(3, nurse?.Total);
        Assert.Equal(3, await fixture.Notification.GetUnreadAsync(team.Clerk, conversation.Id));
    }

    private async Task AssertCountersEqualWorldAsync(ConversationWorld world, IReadOnlyList<TestUser> users)
    {
        foreach (var user in users)
        {
            var expected = world.Conversations
                .Where(c => c.Audience.Contains(user.Id))
                .Select(c => new CareMessaging.Contracts.Notifications.ConversationUnread(c.Id, ConversationWorld.Unread(c, user.Id)))
                .Where(c => c.Unread > 0)
                .OrderBy(c => c.ConversationId)
                .ToList();
            // While the counters are rebuilt the service answers 503, never a partial count.
            var actual = await Eventually.Until(
                () => fixture.Notification.TryGetUnreadAsync(user),
                s => s?.Total == expected.Sum(c => c.Unread) && s.Conversations.OrderBy(c => c.ConversationId).SequenceEqual(expected));
            Assert.NotNull(actual);
            Assert.Equal(expected.Sum(c => c.Unread), actual.Total);
            Assert.Equal(expected, actual.Conversations.OrderBy(c => c.ConversationId).ToList());
        }
    }
}
