using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Tests.Infrastructure;

namespace CareMessaging.Conversation.Tests.Messages;

[Collection(ConversationServiceCollection.Name)]
public sealed class NewMessagesTests(ConversationServiceFixture fixture)
{
    [Fact]
    public async Task After_returns_only_the_newer_messages_oldest_first()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        var thread = await staff.StartAsync(team.Patients[0].PatientId, body: "m1");
        for (var i = 2; i <= 5; i++)
        {
            await staff.SendAsync(thread.Id, $"m{i}");
        }

        var page = await (await staff.GetAsync($"/api/conversations/{thread.Id}/messages?after=3")).ReadAsync<MessagePage>();

        Assert.Equal(["m4", "m5"], page.Items.Select(m => m.Body));
        Assert.Null(page.NextBefore);
    }

    [Fact]
    public async Task A_burst_of_more_than_50_messages_is_complete_across_after_pages()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        using var patient = team.PatientClient();
        var thread = await staff.StartAsync(team.Patients[0].PatientId, body: "m1");
        var seen = thread.Messages.Items[^1].Sequence;
        for (var i = 2; i <= 61; i++)
        {
            await patient.SendAsync(thread.Id, $"m{i}");
        }

        var fetched = new List<MessageView>();
        var pages = 0;
        while (pages < 5)
        {
            var page = await (await staff.GetAsync($"/api/conversations/{thread.Id}/messages?after={seen}")).ReadAsync<MessagePage>();
            pages++;
            fetched.AddRange(page.Items);
            if (page.Items.Count < ConversationLimits.DefaultMessageLimit)
            {
                break;
            }

            seen = page.Items[^1].Sequence;
        }

        Assert.Equal(Enumerable.Range(2, 60).Select(i => $"m{i}"), fetched.Select(m => m.Body));
        Assert.Equal(2, pages);
    }
}
