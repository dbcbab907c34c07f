using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Seeding;
using CareMessaging.Conversation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CareMessaging.Conversation.Tests.Seeding;

[Collection(ConversationServiceCollection.Name)]
public sealed class DemoSeedTests(ConversationServiceFixture fixture)
{
    [Fact]
    public async Task The_demo_seed_loads_the_shared_file_once_and_leaves_each_staff_member_some_read_and_some_unread()
    {
        var seed = DemoSeedFile.Load(new ConfigurationBuilder().Build(), AppContext.BaseDirectory);

        await SeedAsync(seed);
        await SeedAsync(seed);

        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConversationDbContext>();
        var seededIds = seed.Conversations.Select(c => c.Id).ToList();
        Assert.Equal(seed.Conversations.Count, await db.Conversations.CountAsync(c => seededIds.Contains(c.Id)));
        Assert.Equal(seed.Conversations.Sum(c => c.Messages.Count), await db.Messages.CountAsync(m => seededIds.Contains(m.ConversationId)));
        var patient = seed.Patients[0];
        var stored = await db.Patients.SingleAsync(p => p.PatientId == patient.PatientId);
        Assert.Equal((patient.GivenName, patient.FamilyName, patient.UserId, patient.CareTeam), (stored.GivenName, stored.FamilyName, stored.PortalUserId, stored.CareTeamId));

        foreach (var member in seed.Staff.Where(s => s.CareTeams.Count > 0))
        {
            using var client = fixture.Client(fixture.Tokens.Staff(member.UserId, member.CareTeams, member.Role, member.DisplayName));
            var unread = await client.ListAsync("?filter=unread&limit=100");
            var read = await client.ListAsync("?filter=read&limit=100");
            Assert.True(unread.Items.Count > 0, $"{member.DisplayName} has no unread conversation");
            Assert.True(read.Items.Count > 0, $"{member.DisplayName} has no read conversation");
        }

        var first = seed.Conversations[0];
        var firstPatient = seed.Patients.Single(p => p.PatientId == first.PatientId);
        using var patientClient = fixture.Client(fixture.Tokens.Patient(firstPatient.UserId!, firstPatient.PatientId));
        var thread = await patientClient.ThreadAsync(first.Id);
        Assert.Equal(first.Topic, thread.Topic);
        Assert.Equal(first.Messages.Select(m => m.Body), thread.Messages.Items.Select(m => m.Body));
        Assert.Equal(Enum.Parse<ConversationStatus>(first.Status), thread.Status);
        var newest = first.Messages.Min(m => m.MinutesAgo);
        Assert.InRange(DateTimeOffset.UtcNow - thread.LastActivityAt, TimeSpan.FromMinutes(newest - 1), TimeSpan.FromMinutes(newest + 5));
    }

    [Fact]
    public void A_service_asked_for_the_demo_data_outside_Development_refuses_to_start_and_names_the_setting()
    {
        // The test host's environment is Testing: anything but Development counts as a deployment.
        using var factory = fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["Seed:Demo"] = "true",
            ["Encryption:ActiveKeyId"] = ConversationServiceFixture.FirstKeyId,
            [$"Encryption:Keys:{ConversationServiceFixture.FirstKeyId}"] = fixture.FirstKey,
        });

        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var refusal = Assert.IsType<InvalidOperationException>(failure.GetBaseException());
        Assert.Contains("Seed:Demo is true in the Testing environment", refusal.Message);
    }

    private async Task SeedAsync(DemoSeedFile seed)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(seed, CancellationToken.None);
    }
}
