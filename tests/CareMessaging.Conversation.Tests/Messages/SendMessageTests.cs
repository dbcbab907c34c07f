using System.Net;
using System.Net.Http.Json;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Messages;
using CareMessaging.Conversation.Tests.Infrastructure;

namespace CareMessaging.Conversation.Tests.Messages;

[Collection(ConversationServiceCollection.Name)]
public sealed class SendMessageTests(ConversationServiceFixture fixture)
{
    [Fact]
    public async Task Messages_get_consecutive_sequences_and_update_the_conversation()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        using var patient = team.PatientClient();
        var thread = await staff.StartAsync(team.Patients[0].PatientId);

        var reply = await patient.SendAsync(thread.Id, "Thanks, I will pick it up tomorrow.");
        var answer = await staff.SendAsync(thread.Id, "Great.");

        Assert.Equal(2, reply.Sequence);
        Assert.Equal(3, answer.Sequence);
        var item = Assert.Single((await staff.ListAsync()).Items);
        Assert.Equal(3, item.MessageCount);
        Assert.Equal("Great.", item.LastMessagePreview);
        Assert.False(item.AwaitingResponse);
        Assert.Equal(answer.SentAt, item.LastActivityAt);
    }

    [Fact]
    public async Task A_retried_send_returns_the_original_message_and_adds_nothing()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        var thread = await staff.StartAsync(team.Patients[0].PatientId);
        var key = Api.NewKey();

        var first = await staff.SendAsync(thread.Id, "Please fast before the test.", key);
        var retried = await (await staff.PostAsJsonAsync($"/api/conversations/{thread.Id}/messages",
            new { body = "Please fast before the test.", clientMessageId = key })).ReadAsync<MessageView>(HttpStatusCode.OK);

        Assert.Equal(first.Id, retried.Id);
        Assert.Equal(first.Sequence, retried.Sequence);
        Assert.Equal(2, (await staff.ThreadAsync(thread.Id)).MessageCount);
    }

    [Fact]
    public async Task Reusing_a_client_message_id_in_another_conversation_is_409()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        var first = await staff.StartAsync(team.Patients[0].PatientId);
        var second = await staff.StartAsync(team.Patients[1].PatientId);
        var key = Api.NewKey();
        await staff.SendAsync(first.Id, "One", key);

        var response = await staff.PostAsJsonAsync($"/api/conversations/{second.Id}/messages", new { body = "Two", clientMessageId = key });

        await response.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(1, (await staff.ThreadAsync(second.Id)).MessageCount);
    }

    [Fact]
    public async Task Markup_in_a_body_is_stored_and_returned_as_the_text_it_is()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        var thread = await staff.StartAsync(team.Patients[0].PatientId);
        const string markup = "<script>alert('x')</script> <b>bold</b> & \"quotes\"\n  indented";

        var sent = await staff.SendAsync(thread.Id, markup);
        var read = await staff.ThreadAsync(thread.Id);

        Assert.Equal(markup, sent.Body);
        Assert.Equal(markup, read.Messages.Items[^1].Body);
    }

    [Fact]
    public async Task A_body_over_5000_characters_is_rejected_with_a_clear_message()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        var thread = await staff.StartAsync(team.Patients[0].PatientId);

        var tooLong = await staff.PostAsJsonAsync($"/api/conversations/{thread.Id}/messages", new { body = new string('a', 5001), clientMessageId = Api.NewKey() });
        var problem = await tooLong.ProblemAsync(HttpStatusCode.BadRequest);
        var longest = await staff.PostAsJsonAsync($"/api/conversations/{thread.Id}/messages", new { body = new string('a', 5000), clientMessageId = Api.NewKey() });

        Assert.Contains("at most 5000 characters", problem.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
    }

    [Fact]
    public async Task An_empty_body_and_a_missing_key_are_named()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        var thread = await staff.StartAsync(team.Patients[0].PatientId);

        var response = await staff.PostAsJsonAsync($"/api/conversations/{thread.Id}/messages", new { body = "" });

        Assert.Equal(["body", "clientMessageId"], (await response.ValidationErrorsAsync()).Order());
    }

    [Fact]
    public async Task Sending_to_an_unknown_conversation_is_404()
    {
        var team = await fixture.CreateTeamAsync();

        var response = await team.StaffClient().PostAsJsonAsync($"/api/conversations/{Guid.NewGuid()}/messages", new { body = "Hello", clientMessageId = Api.NewKey() });

        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Two_senders_racing_get_consecutive_sequences_and_a_correct_count()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        using var patient = team.PatientClient();
        var thread = await staff.StartAsync(team.Patients[0].PatientId);
        var id = thread.Id;

        var sends = Enumerable.Range(0, 30).Select(i => i % 2 == 0 ? staff.SendAsync(id, $"staff {i}") : patient.SendAsync(id, $"patient {i}"));
        var sent = await Task.WhenAll(sends);

        Assert.Equal(Enumerable.Range(2, 30).Select(i => (long)i), sent.Select(m => m.Sequence).Order());
        var all = await (await staff.GetAsync($"/api/conversations/{id}/messages?limit=100")).ReadAsync<MessagePage>();
        Assert.Equal(Enumerable.Range(1, 31).Select(i => (long)i), all.Items.Select(m => m.Sequence));
        Assert.Equal(31, (await staff.ThreadAsync(id)).MessageCount);
        // The patient's unread count is exactly the staff messages they did not send.
        Assert.Equal(16, (await patient.ThreadAsync(id)).UnreadCount);
    }

    [Fact]
    public async Task Messages_page_backwards_and_each_page_is_chronological()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        var thread = await staff.StartAsync(team.Patients[0].PatientId, body: "m1");
        for (var i = 2; i <= 7; i++)
        {
            await staff.SendAsync(thread.Id, $"m{i}");
        }

        var latest = await (await staff.GetAsync($"/api/conversations/{thread.Id}/messages?limit=3")).ReadAsync<MessagePage>();
        var middle = await (await staff.GetAsync($"/api/conversations/{thread.Id}/messages?limit=3&before={latest.NextBefore}")).ReadAsync<MessagePage>();
        var first = await (await staff.GetAsync($"/api/conversations/{thread.Id}/messages?limit=3&before={middle.NextBefore}")).ReadAsync<MessagePage>();

        Assert.Equal(["m5", "m6", "m7"], latest.Items.Select(m => m.Body));
        Assert.Equal(["m2", "m3", "m4"], middle.Items.Select(m => m.Body));
        Assert.Equal(["m1"], first.Items.Select(m => m.Body));
        Assert.Null(first.NextBefore);
        Assert.True(latest.Items.Zip(latest.Items.Skip(1)).All(pair => pair.First.SentAt <= pair.Second.SentAt));
    }

    [Theory]
    [InlineData("before=abc", "before")]
    [InlineData("before=0", "before")]
    [InlineData("after=abc", "after")]
    [InlineData("after=-1", "after")]
    [InlineData("before=5&after=2", "after")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    public async Task Bad_message_paging_parameters_are_named(string query, string field)
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        var thread = await staff.StartAsync(team.Patients[0].PatientId);

        var response = await staff.GetAsync($"/api/conversations/{thread.Id}/messages?{query}");

        Assert.Equal([field], await response.ValidationErrorsAsync());
    }
}
