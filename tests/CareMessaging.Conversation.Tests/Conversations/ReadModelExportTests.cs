using System.Net;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Tests.Infrastructure;
using CareMessaging.ServiceDefaults;
using Microsoft.Extensions.Hosting;

namespace CareMessaging.Conversation.Tests.Conversations;

[Collection(ConversationServiceCollection.Name)]
public sealed class ReadModelExportTests(ConversationServiceFixture fixture)
{
    [Fact]
    public async Task A_service_client_pages_through_every_conversation_once_with_messages_horizons_and_audience()
    {
        var team = await fixture.CreateTeamAsync(staff: 2);
        using var staff = team.StaffClient();
        using var patient = team.PatientClient();
        var thread = await patient.StartAsync(team.Patients[0].PatientId);
        var reply = await staff.SendAsync(thread.Id, "Reply");
        await staff.MarkReadAsync(thread.Id, reply.Id);
        await staff.StartAsync(team.Patients[1].PatientId);
        using var service = fixture.Client(fixture.Tokens.ServiceClient("stats", Policies.ReadModelScope));

        var all = new List<ReadModelConversation>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await service.GetAsync($"/api/conversations/internal/read-model?limit=7&cursor={cursor}")).ReadAsync<ReadModelPage>();
            Assert.True(page.Items.Count <= 7);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 1000);

        Assert.Equal(all.Count, all.Select(c => c.ConversationId).Distinct().Count());
        var exported = all.Single(c => c.ConversationId == thread.Id);
        Assert.Equal(team.Id, exported.CareTeamId);
        Assert.Equal(team.StaffIds.Append(team.Patients[0].PortalUserId!).Order(), exported.Audience.Order());
        Assert.Equal([1L, 2L], exported.Messages.Select(m => m.Sequence));
        Assert.Equal([SenderKind.Patient, SenderKind.Staff], exported.Messages.Select(m => m.SenderKind));
        Assert.Equal(2, exported.ReadHorizons[team.StaffIds[0]]);
        Assert.Contains(all, c => c.PatientId == team.Patients[1].PatientId);
    }

    [Fact]
    public async Task Users_and_clients_without_the_scope_are_refused()
    {
        var team = await fixture.CreateTeamAsync();

        var asStaff = await team.StaffClient().GetAsync("/api/conversations/internal/read-model");
        var otherScope = await fixture.Client(fixture.Tokens.ServiceClient("web", "openid")).GetAsync("/api/conversations/internal/read-model");

        await asStaff.ProblemAsync(HttpStatusCode.Forbidden);
        await otherScope.ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_malformed_export_cursor_is_a_400()
    {
        using var service = fixture.Client(fixture.Tokens.ServiceClient("notification", Policies.ReadModelScope));

        var response = await service.GetAsync("/api/conversations/internal/read-model?cursor=zzz");

        Assert.Equal(["cursor"], await response.ValidationErrorsAsync());
    }
}
