using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.Clients;
using CareMessaging.Contracts;

namespace CareMessaging.EndToEndTests.Identity;

/// <summary>The session's token reaches the Conversation service, which filters by the claims in it.</summary>
[Collection(StackCollection.Name)]
public sealed class TokenRelayTests(CareMessagingStack stack)
{
    [Fact]
    public async Task A_clinician_sees_only_conversations_of_their_care_team()
    {
        var clinician = DemoUsers.Staff.First(u => u.Role == Roles.Clinician && u.CareTeams.Count == 1 && DemoUsers.PatientsOf(u.CareTeams[0]).Count > 0);
        using var client = await GatewaySession.SignInAsync(stack, clinician);

        var page = await new ConversationsClient(client).ListAsync(limit: 100).OrThrowAsync();

        var teams = page.Items.Select(c => c.CareTeamId).ToList();
        Assert.NotEmpty(teams);
        Assert.All(teams, team => Assert.Equal(clinician.CareTeams[0], team));
    }

    [Fact]
    public async Task A_patient_sees_only_their_own_conversations()
    {
        var patient = DemoUsers.Patients[0];
        using var client = await GatewaySession.SignInAsync(stack, patient);

        var page = await new ConversationsClient(client).ListAsync(limit: 100).OrThrowAsync();

        Assert.All(page.Items, c => Assert.Equal(patient.PatientId, c.PatientId));
    }

    [Fact]
    public async Task A_state_changing_request_with_the_anti_forgery_header_reaches_the_service()
    {
        using var client = await GatewaySession.SignInAsync(stack, DemoUsers.Patients[0]);

        using var response = await client.PostAsJsonAsync($"/api/conversations/{Guid.NewGuid()}/read", new { upToMessageId = "not-an-id" });

        // The service's own validation answered: the gateway let the request through with the user's token.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("upToMessageId", out _));
    }
}
