using System.Net;
using System.Net.Http.Json;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Tests.Infrastructure;

namespace CareMessaging.Conversation.Tests.Access;

[Collection(ConversationServiceCollection.Name)]
public sealed class AccessRulesTests(ConversationServiceFixture fixture)
{
    public static TheoryData<string, string> ConversationRoutes => new()
    {
        { "GET", "" },
        { "GET", "/messages" },
        { "POST", "/messages" },
        { "POST", "/read" },
        { "POST", "/resolve" },
        { "POST", "/archive" },
        { "POST", "/reopen" },
    };

    [Theory]
    [MemberData(nameof(ConversationRoutes))]
    public async Task Another_teams_staff_get_404_as_for_a_conversation_that_does_not_exist(string method, string route)
    {
        var (team, id, messageId) = await StartAsync();
        var other = await fixture.CreateTeamAsync();

        var existing = await CallAsync(other.StaffClient(), method, $"/api/conversations/{id}{route}", messageId);
        var missing = await CallAsync(other.StaffClient(), method, $"/api/conversations/{Guid.NewGuid()}{route}", messageId);

        var problem = await existing.ProblemAsync(HttpStatusCode.NotFound);
        var missingProblem = await missing.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(missingProblem.GetProperty("detail").GetString(), problem.GetProperty("detail").GetString());
        Assert.Equal(1, (await team.StaffClient().ThreadAsync(id)).MessageCount);
    }

    [Theory]
    [MemberData(nameof(ConversationRoutes))]
    public async Task Another_patient_gets_404(string method, string route)
    {
        var (team, id, messageId) = await StartAsync();

        var response = await CallAsync(team.PatientClient(1), method, $"/api/conversations/{id}{route}", messageId);

        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Compliance)]
    public async Task Other_roles_see_no_conversations_and_get_404_on_each(string role)
    {
        var (_, id, _) = await StartAsync();
        using var client = fixture.Client(fixture.Tokens.Person($"user-{Guid.NewGuid():N}", role));

        Assert.Empty((await client.ListAsync()).Items);
        Assert.Equal(0, (await (await client.GetAsync("/api/conversations/summary")).ReadAsync<DashboardCounts>()).TotalConversations);
        await (await client.GetAsync($"/api/conversations/{id}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Staff_without_a_care_team_see_nothing()
    {
        var (_, id, _) = await StartAsync();
        using var client = fixture.Client(fixture.Tokens.Staff($"staff-{Guid.NewGuid():N}", []));

        await (await client.GetAsync($"/api/conversations/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await client.ListAsync()).Items);
    }

    [Fact]
    public async Task Staff_of_several_teams_see_each_teams_conversations()
    {
        var (first, firstId, _) = await StartAsync();
        var (second, secondId, _) = await StartAsync();
        using var client = fixture.Client(fixture.Tokens.Staff($"staff-{Guid.NewGuid():N}", [first.Id, second.Id], Roles.Nurse));

        var items = (await client.ListAsync()).Items.Select(i => i.Id);

        Assert.Equal([secondId, firstId], items);
    }

    [Theory]
    [InlineData("GET", "/api/conversations")]
    [InlineData("GET", "/api/conversations/summary")]
    [InlineData("POST", "/api/conversations")]
    [InlineData("GET", "/api/patients")]
    [InlineData("GET", "/api/patients/P-100201")]
    [InlineData("GET", "/api/conversations/internal/read-model")]
    public async Task Anonymous_callers_get_401_ProblemDetails(string method, string path)
    {
        using var anonymous = fixture.Client(token: null);

        var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? JsonContent.Create(new { }) : null,
        });

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_signed_by_someone_else_is_401()
    {
        var team = await fixture.CreateTeamAsync();
        var forged = new TestTokens(ResourceNames.Conversation).Staff(team.StaffIds[0], [team.Id]);

        var response = await fixture.Client(forged).GetAsync("/api/conversations");

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
    }

    private async Task<(TestTeam Team, Guid Id, Guid MessageId)> StartAsync()
    {
        var team = await fixture.CreateTeamAsync();
        var thread = await team.PatientClient(0).StartAsync(team.Patients[0].PatientId);
        return (team, thread.Id, thread.Messages.Items[0].Id);
    }

    private static Task<HttpResponseMessage> CallAsync(HttpClient client, string method, string path, Guid messageId) =>
        method == "GET"
            ? client.GetAsync(path)
            : client.PostAsJsonAsync(path, new { body = "Let me in", clientMessageId = Api.NewKey(), upToMessageId = messageId });
}
