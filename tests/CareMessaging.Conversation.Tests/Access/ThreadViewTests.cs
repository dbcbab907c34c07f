using System.Net.Http.Headers;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CareMessaging.Conversation.Tests.Access;

/// <summary>Which reads of a thread are recorded as views (ADR 0016).</summary>
[Collection(ConversationServiceCollection.Name)]
public sealed class ThreadViewTests(ConversationServiceFixture fixture)
{
    [Fact]
    public async Task Opening_a_thread_and_loading_its_earlier_messages_records_one_view()
    {
        var (staff, id) = await StartWithMessagesAsync(4);

        var opened = await staff.ThreadAsync(id);
        (await staff.GetAsync($"/api/conversations/{id}/messages?before={opened.Messages.Items[^1].Sequence}&limit=2")).EnsureSuccessStatusCode();

        Assert.Equal(1, await fixture.CountOutboxAsync<ConversationAccessed>(id));
    }

    [Fact]
    public async Task Repeated_after_fetches_of_an_open_thread_record_no_further_view()
    {
        var (staff, id) = await StartWithMessagesAsync(1);
        var opened = await staff.ThreadAsync(id);

        for (var i = 0; i < 3; i++)
        {
            (await staff.GetAsync($"/api/conversations/{id}/messages?after={opened.Messages.Items[^1].Sequence}")).EnsureSuccessStatusCode();
        }

        Assert.Equal(1, await fixture.CountOutboxAsync<ConversationAccessed>(id));
    }

    [Fact]
    public async Task Reading_messages_without_opening_the_thread_is_recorded_once_per_window()
    {
        var (staff, id) = await StartWithMessagesAsync(1);

        (await staff.GetAsync($"/api/conversations/{id}/messages")).EnsureSuccessStatusCode();
        (await staff.GetAsync($"/api/conversations/{id}/messages?after=1")).EnsureSuccessStatusCode();

        Assert.Equal(1, await fixture.CountOutboxAsync<ConversationAccessed>(id));
    }

    [Fact]
    public async Task Each_opening_of_a_thread_is_a_view()
    {
        var (staff, id) = await StartWithMessagesAsync(1);

        await staff.ThreadAsync(id);
        await staff.ThreadAsync(id);

        Assert.Equal(2, await fixture.CountOutboxAsync<ConversationAccessed>(id));
    }

    [Fact]
    public async Task Each_reader_has_their_own_window()
    {
        var team = await fixture.CreateTeamAsync();
        using var first = team.StaffClient(0);
        using var second = team.StaffClient(1);
        var id = (await first.StartAsync(team.Patients[0].PatientId)).Id;

        (await first.GetAsync($"/api/conversations/{id}/messages")).EnsureSuccessStatusCode();
        (await second.GetAsync($"/api/conversations/{id}/messages")).EnsureSuccessStatusCode();

        var views = await fixture.Events.WaitForAsync<ConversationAccessed>(e => e.ConversationId == id, count: 2);
        Assert.Equal([team.StaffIds[0], team.StaffIds[1]], views.Select(e => e.ActorId).Order());
    }

    [Fact]
    public async Task Once_the_window_has_passed_reading_messages_is_recorded_again()
    {
        var team = await fixture.CreateTeamAsync();
        var id = (await team.StaffClient().StartAsync(team.Patients[0].PatientId)).Id;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var settings = fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["Encryption:ActiveKeyId"] = ConversationServiceFixture.FirstKeyId,
            [$"Encryption:Keys:{ConversationServiceFixture.FirstKeyId}"] = fixture.FirstKey,
            ["Access:ViewWindow"] = "00:15:00",
        });
        await using var replica = settings.WithWebHostBuilder(host => host.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        using var reader = replica.CreateClient();
        reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            fixture.Tokens.Staff(team.StaffIds[0], [team.Id]));

        (await reader.GetAsync($"/api/conversations/{id}/messages")).EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromMinutes(14));
        (await reader.GetAsync($"/api/conversations/{id}/messages?after=1")).EnsureSuccessStatusCode();
        var withinWindow = await fixture.CountOutboxAsync<ConversationAccessed>(id);
        clock.Advance(TimeSpan.FromMinutes(2));
        (await reader.GetAsync($"/api/conversations/{id}/messages?after=1")).EnsureSuccessStatusCode();

        Assert.Equal(1, withinWindow);
        Assert.Equal(2, await fixture.CountOutboxAsync<ConversationAccessed>(id));
    }

    private async Task<(HttpClient Staff, Guid Id)> StartWithMessagesAsync(int messages)
    {
        var team = await fixture.CreateTeamAsync();
        var staff = team.StaffClient();
        var id = (await staff.StartAsync(team.Patients[0].PatientId, body: "m1")).Id;
        for (var i = 2; i <= messages; i++)
        {
            await staff.SendAsync(id, $"m{i}");
        }

        return (staff, id);
    }
}
