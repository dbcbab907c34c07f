using System.Net;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Tests.Infrastructure;

namespace CareMessaging.Conversation.Tests.Conversations;

[Collection(ConversationServiceCollection.Name)]
public sealed class ListConversationsTests(ConversationServiceFixture fixture)
{
    [Fact]
    public async Task The_list_is_ordered_by_latest_activity_with_the_callers_unread_counts()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        using var patient = team.PatientClient();
        var older = await patient.StartAsync(team.Patients[0].PatientId, "Older topic");
        var newer = await patient.StartAsync(team.Patients[0].PatientId, "Newer topic");
        await patient.SendAsync(older.Id, "Bumping the older one");

        var page = await staff.ListAsync();

        Assert.Equal([older.Id, newer.Id], page.Items.Select(i => i.Id));
        Assert.Equal([2L, 1L], page.Items.Select(i => i.UnreadCount));
        Assert.All(page.Items, item => Assert.True(item.AwaitingResponse));
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task Unread_and_read_filters_split_the_list_by_the_callers_horizon()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        using var patient = team.PatientClient();
        var read = await patient.StartAsync(team.Patients[0].PatientId, "Read one");
        var unread = await patient.StartAsync(team.Patients[0].PatientId, "Unread one");
        var mine = await staff.StartAsync(team.Patients[0].PatientId, "Started by me");
        await staff.MarkReadAsync(read.Id, read.Messages.Items[0].Id);

        var unreadPage = await staff.ListAsync("?filter=unread");
        var readPage = await staff.ListAsync("?filter=READ");
        var all = await staff.ListAsync("?filter=all");

        Assert.Equal([unread.Id], unreadPage.Items.Select(i => i.Id));
        Assert.Equal([mine.Id, read.Id], readPage.Items.Select(i => i.Id));
        Assert.Equal(3, all.Items.Count);
    }

    [Fact]
    public async Task Search_matches_topic_patient_name_and_patient_id_case_insensitively()
    {
        var team = await fixture.CreateTeamAsync(patients: 2, patientFamilyName: $"Okonkwo{Guid.NewGuid():N}"[..14]);
        using var staff = team.StaffClient();
        var byTopic = await staff.StartAsync(team.Patients[0].PatientId, "Insulin dosage question");
        var other = await staff.StartAsync(team.Patients[1].PatientId, "Physiotherapy plan");

        Assert.Equal([byTopic.Id], (await staff.ListAsync("?q=INSULIN%20dos")).Items.Select(i => i.Id));
        Assert.Equal([other.Id], (await staff.ListAsync("?q=given1")).Items.Select(i => i.Id));
        Assert.Equal([other.Id], (await staff.ListAsync($"?q={team.Patients[1].PatientId.ToLowerInvariant()}")).Items.Select(i => i.Id));
        Assert.Equal(2, (await staff.ListAsync($"?q={team.Patients[0].FamilyName.ToUpperInvariant()}")).Items.Count);
        Assert.Empty((await staff.ListAsync("?q=%25")).Items);
        Assert.Empty((await staff.ListAsync("?q=no%20such%20thing")).Items);
    }

    [Fact]
    public async Task Search_never_reaches_another_teams_conversations()
    {
        var team = await fixture.CreateTeamAsync();
        var other = await fixture.CreateTeamAsync();
        var secret = $"Topic{Guid.NewGuid():N}";
        await other.StaffClient().StartAsync(other.Patients[0].PatientId, secret);

        Assert.Empty((await team.StaffClient().ListAsync($"?q={secret[..20]}")).Items);
        Assert.Single((await other.StaffClient().ListAsync($"?q={secret[..20]}")).Items);
    }

    [Fact]
    public async Task Status_filter_shows_only_that_status()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        var open = await staff.StartAsync(team.Patients[0].PatientId, "Still open");
        var archived = await staff.StartAsync(team.Patients[0].PatientId, "To archive");
        (await staff.PostAsync($"/api/conversations/{archived.Id}/archive", null)).EnsureSuccessStatusCode();

        Assert.Equal([archived.Id], (await staff.ListAsync("?status=archived")).Items.Select(i => i.Id));
        Assert.Equal([open.Id], (await staff.ListAsync("?status=Open")).Items.Select(i => i.Id));
        Assert.Equal(ConversationStatus.Archived, (await staff.ListAsync("?status=archived&q=to%20arch")).Items.Single().Status);
    }

    [Fact]
    public async Task Pages_are_stable_while_messages_arrive()
    {
        var team = await fixture.CreateTeamAsync(patients: 2);
        using var staff = team.StaffClient();
        var ids = new List<Guid>();
        for (var i = 0; i < 9; i++)
        {
            ids.Add((await staff.StartAsync(team.Patients[i % 2].PatientId, $"Topic number {i}")).Id);
        }

        var first = await staff.ListAsync("?limit=4");
        // While the reader pages: a conversation already seen and one not yet seen get new
        // messages, and a new conversation starts. Neither shifts the remaining pages.
        await staff.SendAsync(first.Items[1].Id, "moves to the top");
        var notYetSeen = ids[1];
        await staff.SendAsync(notYetSeen, "moves to the top too");
        var started = (await staff.StartAsync(team.Patients[0].PatientId, "Started while paging")).Id;
        var seen = first.Items.Select(i => i.Id).ToList();
        var cursor = first.NextCursor;
        var pages = 1;
        while (cursor is not null)
        {
            var next = await staff.ListAsync($"?limit=4&cursor={cursor}");
            seen.AddRange(next.Items.Select(i => i.Id));
            cursor = next.NextCursor;
            pages++;
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        var untouched = ids.Except([first.Items[1].Id, notYetSeen]);
        Assert.All(untouched, id => Assert.Contains(id, seen));
        Assert.DoesNotContain(started, seen);
        Assert.Equal(2, pages);
        Assert.Equal([started, notYetSeen, first.Items[1].Id], (await staff.ListAsync("?limit=3")).Items.Select(i => i.Id));
    }

    [Theory]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=YzF8MTIzfHh5eg", "cursor")]
    [InlineData("filter=everything", "filter")]
    [InlineData("status=closed", "status")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=ten", "limit")]
    public async Task Bad_list_parameters_are_a_400_naming_the_parameter(string query, string field)
    {
        var team = await fixture.CreateTeamAsync();

        var response = await team.StaffClient().GetAsync($"/api/conversations?{query}");

        Assert.Equal([field], await response.ValidationErrorsAsync());
    }

    [Fact]
    public async Task A_limit_of_100_is_accepted()
    {
        var team = await fixture.CreateTeamAsync();

        var response = await team.StaffClient().GetAsync("/api/conversations?limit=100");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
