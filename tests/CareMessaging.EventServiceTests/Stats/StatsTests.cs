using System.Net;
using System.Security.Claims;
using CareMessaging.Clients;
using CareMessaging.Contracts.Stats;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.EventServiceTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace CareMessaging.EventServiceTests.Stats;

[Collection(EventServicesCollection.Name)]
public sealed class StatsTests(EventServicesFixture fixture, ITestOutputHelper output)
{
    /// <summary>Two care teams (one clinician in both), their patients with portal accounts.</summary>
    private sealed class Hospital
    {
        public Hospital()
        {
            Teams = [$"team-{Guid.NewGuid():N}", $"team-{Guid.NewGuid():N}"];
            Staff =
            [
                TestUser.Staff(Roles.Clinician, Teams[0]),
                TestUser.Staff(Roles.Nurse, Teams[0]),
                TestUser.Staff(Roles.Staff, Teams[1]),
                TestUser.Staff(Roles.Clinician, Teams[0], Teams[1]),
            ];
            Patients = Enumerable.Range(0, 4).Select(i => TestUser.Patient($"P-{Guid.NewGuid():N}"[..12])).ToArray();
        }

        public string[] Teams { get; }

        public TestUser[] Staff { get; }

        public TestUser[] Patients { get; }

        public IEnumerable<TestUser> Everyone => Staff.Concat(Patients);

        public string TeamOf(TestUser patient) => Teams[Array.IndexOf(Patients, patient) % 2];

        public string[] AudienceOf(TestUser patient) =>
            [.. Staff.Where(s => s.CareTeams.Contains(TeamOf(patient))).Select(s => s.Id), patient.Id];

        public IEnumerable<TestUser> ReadersOf(WorldConversation conversation) =>
            Everyone.Where(u => conversation.Audience.Contains(u.Id));
    }

    [Fact]
    public async Task Stats_equal_the_dashboard_definitions_after_a_random_mix_of_starts_sends_reads_and_status_changes()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"Random workload seed: {seed}");
        var random = new Random(seed);
        var hospital = new Hospital();
        var world = new ConversationWorld();
        var events = new List<IIntegrationEvent>();
        for (var step = 0; step < 60; step++)
        {
            var roll = random.Next(100);
            if (world.Conversations.Count == 0 || roll < 20)
            {
                var patient = hospital.Patients[random.Next(hospital.Patients.Length)];
                var starter = random.Next(3) == 0 ? hospital.Staff.First(s => s.CareTeams.Contains(hospital.TeamOf(patient))) : patient;
                events.AddRange(world.Start(starter, patient.PatientId!, hospital.TeamOf(patient), hospital.AudienceOf(patient)).Events);
                continue;
            }

            var conversation = world.Conversations[random.Next(world.Conversations.Count)];
            var readers = hospital.ReadersOf(conversation).ToList();
            var actor = readers[random.Next(readers.Count)];
            if (roll < 65)
            {
                events.Add(world.Send(actor, conversation));
            }
            else if (roll < 92)
            {
                events.Add(world.Read(actor, conversation));
            }
            else
            {
                var status = (ConversationStatus)random.Next(3);
                events.Add(world.SetStatus(actor, conversation, status));
            }
        }

        await fixture.PublishAsync(events);

        foreach (var caller in hospital.Everyone)
        {
            await AssertFiguresEqualWorldAsync(world, caller);
        }
    }

    [Fact]
    public async Task Events_in_reverse_order_converge_to_the_same_figures_and_redelivery_changes_nothing()
    {
        var hospital = new Hospital();
        var world = new ConversationWorld();
        var events = new List<IIntegrationEvent>();
        foreach (var patient in hospital.Patients)
        {
            var (conversation, opening) = world.Start(patient, patient.PatientId!, hospital.TeamOf(patient), hospital.AudienceOf(patient));
            events.AddRange(opening);
            var staff = hospital.ReadersOf(conversation).First(u => u.Role != Roles.Patient);
            events.Add(world.Read(staff, conversation));
            events.Add(world.Send(staff, conversation));
            events.Add(world.SetStatus(staff, conversation, ConversationStatus.Archived));
            events.Add(world.SetStatus(staff, conversation, ConversationStatus.Open));
            events.Add(world.Send(patient, conversation));
        }

        // Every message arrives before its conversation's start, every reopen before its archive.
        events.Reverse();
        await fixture.PublishAsync(events);
        foreach (var caller in hospital.Everyone)
        {
            await AssertFiguresEqualWorldAsync(world, caller);
        }

        await fixture.PublishAsync(events);
        foreach (var @event in events)
        {
            Assert.True(await fixture.StatsConsumed.WaitForAsync(@event.EventId, times: 2));
        }

        foreach (var caller in hospital.Everyone)
        {
            Assert.Equal(world.ExpectedFigures(caller), Figures(await GetStatsAsync(caller)));
        }
    }

    [Fact]
    public async Task Each_team_gets_its_median_time_to_first_staff_response_and_its_oldest_conversation_awaiting_one()
    {
        var hospital = new Hospital();
        var world = new ConversationWorld();
        var team = hospital.Teams[0];
        var (clinician, patientA, patientB) = (hospital.Staff[0], hospital.Patients[0], hospital.Patients[2]);
        var events = new List<IIntegrationEvent>();

        var (answeredQuickly, a) = world.Start(patientA, patientA.PatientId!, team, hospital.AudienceOf(patientA));
        events.AddRange([.. a, world.Send(clinician, answeredQuickly, after: TimeSpan.FromMinutes(1))]);

        var (answeredSlowly, b) = world.Start(patientB, patientB.PatientId!, team, hospital.AudienceOf(patientB), after: TimeSpan.FromMinutes(1));
        events.AddRange(b);
        events.Add(world.Send(clinician, answeredSlowly, after: TimeSpan.FromMinutes(3)));
        var followUp = world.Send(patientB, answeredSlowly, after: TimeSpan.FromMinutes(1));
        events.AddRange([followUp, world.Send(patientB, answeredSlowly, after: TimeSpan.FromMinutes(1))]);

        var (unanswered, c) = world.Start(patientA, patientA.PatientId!, team, hospital.AudienceOf(patientA), after: TimeSpan.FromMinutes(1));
        events.AddRange(c);

        var (archived, d) = world.Start(patientB, patientB.PatientId!, team, hospital.AudienceOf(patientB), after: TimeSpan.FromMinutes(1));
        events.AddRange([.. d, world.SetStatus(clinician, archived, ConversationStatus.Archived)]);

        var (startedByStaff, e) = world.Start(clinician, patientA.PatientId!, team, hospital.AudienceOf(patientA), after: TimeSpan.FromMinutes(1));
        events.AddRange(e);

        await fixture.PublishAsync(events);
        await AssertFiguresEqualWorldAsync(world, clinician);

        var stats = await GetStatsAsync(clinician);
        var teamStats = Assert.Single(stats.Teams);
        Assert.Equal(team, teamStats.CareTeamId);
        Assert.Equal(2, teamStats.RespondedConversations);
        Assert.Equal(120, teamStats.MedianFirstResponseSeconds!.Value, precision: 3);
        // Awaiting: the slowly answered one (patient wrote last) and the unanswered one; not the archived one.
        Assert.Equal(2, teamStats.AwaitingResponse);
        Assert.NotNull(teamStats.OldestAwaiting);
        Assert.Equal(answeredSlowly.Id, teamStats.OldestAwaiting.ConversationId);
        Assert.Equal(followUp.OccurredAt, teamStats.OldestAwaiting.WaitingSince, TimeSpan.FromMilliseconds(1));
        Assert.NotEqual(startedByStaff.Id, teamStats.OldestAwaiting.ConversationId);
        Assert.NotEqual(unanswered.Id, teamStats.OldestAwaiting.ConversationId);

        var patientStats = await GetStatsAsync(patientA);
        Assert.Empty(patientStats.Teams);
    }

    [Fact]
    public async Task A_rebuild_fills_in_what_no_event_told_and_only_an_admin_can_ask_for_it()
    {
        var hospital = new Hospital();
        var world = new ConversationWorld();
        foreach (var patient in hospital.Patients)
        {
            var (conversation, _) = world.Start(patient, patient.PatientId!, hospital.TeamOf(patient), hospital.AudienceOf(patient));
            var staff = hospital.ReadersOf(conversation).First(u => u.Role != Roles.Patient);
            world.Read(staff, conversation);
            world.Send(staff, conversation);
        }

        world.SetStatus(hospital.Staff[0], world.Conversations[0], ConversationStatus.Archived);
        fixture.ReadModel.World = world;

        using var nurse = fixture.Stats.CreateClient(hospital.Staff[1]);
        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.PostAsync("/api/stats/rebuild", null)).StatusCode);

        using var admin = fixture.Stats.CreateClient(TestUser.Admin());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/stats/rebuild", null)).StatusCode);
        foreach (var caller in hospital.Everyone)
        {
            Assert.Equal(world.ExpectedFigures(caller), Figures(await GetStatsAsync(caller)));
        }
    }

    [Fact]
    public async Task Callers_without_a_care_team_or_patient_role_are_refused()
    {
        using var compliance = fixture.Stats.CreateClient(TestUser.Compliance());
        Assert.Equal(StatusCodes.Status403Forbidden, (await new StatsClient(compliance).GetAsync()).Problem?.Status);
        using var anonymous = fixture.Stats.CreateClient(user: null);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await new StatsClient(anonymous).GetAsync()).Problem?.Status);
    }

    [Fact]
    public async Task A_token_with_a_care_team_role_and_the_patient_role_gets_the_staff_figures()
    {
        var (team, otherTeam) = ($"team-{Guid.NewGuid():N}", $"team-{Guid.NewGuid():N}");
        var userId = $"staff-{Guid.NewGuid():N}";
        var asStaff = new TestUser(userId, Roles.Clinician, [team], null);
        var asPatient = new TestUser(userId, Roles.Patient, [], $"P-{Guid.NewGuid():N}"[..12]);
        var teamPatient = TestUser.Patient($"P-{Guid.NewGuid():N}"[..12]);
        var world = new ConversationWorld();
        var events = new List<IIntegrationEvent>();
        var (teamConversation, opening) = world.Start(teamPatient, teamPatient.PatientId!, team, [userId, teamPatient.Id]);
        events.AddRange([.. opening, world.Send(teamPatient, teamConversation)]);
        // The same person's own conversation, as a patient of another team.
        events.AddRange(world.Start(asPatient, asPatient.PatientId!, otherTeam, [userId]).Events);
        await fixture.PublishAsync(events);
        await AssertFiguresEqualWorldAsync(world, asStaff);
        Assert.NotEqual(world.ExpectedFigures(asStaff), world.ExpectedFigures(asPatient));

        using var client = fixture.Stats.CreateClient(user: null);
        client.DefaultRequestHeaders.Authorization = new("Bearer", BothRolesToken(fixture.Stats.Audience, asStaff, asPatient.PatientId!));
        var stats = (await new StatsClient(client).GetAsync()).Value!;

        Assert.Equal(world.ExpectedFigures(asStaff), Figures(stats));
        Assert.Equal(team, Assert.Single(stats.Teams).CareTeamId);
    }

    [Fact]
    public async Task Each_event_is_consumed_from_its_own_stats_queue()
    {
        var hospital = new Hospital();
        var world = new ConversationWorld();
        var patient = hospital.Patients[0];
        var (conversation, opening) = world.Start(patient, patient.PatientId!, hospital.TeamOf(patient), hospital.AudienceOf(patient));
        IIntegrationEvent[] events = [.. opening, world.Read(hospital.Staff[0], conversation), world.SetStatus(hospital.Staff[0], conversation, ConversationStatus.Resolved)];
        await fixture.PublishAsync(events);

        string[] expected = ["stats-conversation-started", "stats-message-sent", "stats-conversation-read", "stats-conversation-status-changed"];
        for (var i = 0; i < events.Length; i++)
        {
            Assert.True(await fixture.StatsConsumed.WaitForAsync(events[i].EventId));
            Assert.Equal(expected[i], Assert.Single(fixture.StatsConsumed.QueuesOf(events[i].EventId)));
        }
    }

    private async Task AssertFiguresEqualWorldAsync(ConversationWorld world, TestUser caller)
    {
        var expected = world.ExpectedFigures(caller);
        var actual = await Eventually.Until(async () => Figures(await GetStatsAsync(caller)), figures => figures == expected);
        Assert.Equal(expected, actual);
    }

    private Task<StatsResponse> GetStatsAsync(TestUser caller) => fixture.Stats.GetStatsAsync(caller);

    /// <summary>A token as the Identity service issues it to a clinician who also has a patient account on the same login.</summary>
    private static string BothRolesToken(string audience, TestUser staff, string patientId) =>
        EventServicesFixture.Tokens.ForAudience(audience).Create(
        [
            new Claim(CareMessagingClaims.Subject, staff.Id),
            new Claim(CareMessagingClaims.Role, staff.Role),
            new Claim(CareMessagingClaims.Role, Roles.Patient),
            .. staff.CareTeams.Select(team => new Claim(CareMessagingClaims.CareTeam, team)),
            new Claim(CareMessagingClaims.PatientId, patientId),
        ]);

    private static DashboardCounts Figures(StatsResponse stats) => new()
    {
        TotalConversations = stats.TotalConversations,
        UnreadMessages = stats.UnreadMessages,
        UniquePatients = stats.UniquePatients,
        TotalMessages = stats.TotalMessages,
    };
}
