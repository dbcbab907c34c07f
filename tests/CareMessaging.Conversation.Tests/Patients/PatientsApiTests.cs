using System.Net;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Patients;
using CareMessaging.Conversation.Tests.Infrastructure;

namespace CareMessaging.Conversation.Tests.Patients;

[Collection(ConversationServiceCollection.Name)]
public sealed class PatientsApiTests(ConversationServiceFixture fixture)
{
    [Fact]
    public async Task Staff_find_their_teams_patients_by_name_or_patient_id()
    {
        var team = await fixture.CreateTeamAsync(patients: 3);
        var other = await fixture.CreateTeamAsync(patients: 3, patientFamilyName: team.Patients[0].FamilyName);
        using var staff = team.StaffClient();

        var byFamily = await (await staff.GetAsync($"/api/patients?q={team.Patients[0].FamilyName.ToUpperInvariant()}")).ReadAsync<List<PatientView>>();
        var byId = await (await staff.GetAsync($"/api/patients?q={team.Patients[2].PatientId}")).ReadAsync<List<PatientView>>();
        var byFullName = await (await staff.GetAsync($"/api/patients?q=given1 {team.Patients[1].FamilyName}")).ReadAsync<List<PatientView>>();

        Assert.Equal(team.Patients.Select(p => p.PatientId).Order(), byFamily.Select(p => p.PatientId).Order());
        Assert.DoesNotContain(byFamily, p => other.Patients.Any(o => o.PatientId == p.PatientId));
        var found = Assert.Single(byId);
        Assert.Equal(team.Patients[2].DateOfBirth, found.DateOfBirth);
        Assert.Equal(team.Id, found.CareTeamId);
        Assert.True(found.HasPortalAccount);
        Assert.Equal(team.Patients[1].PatientId, Assert.Single(byFullName).PatientId);
    }

    [Fact]
    public async Task A_patient_finds_only_themselves()
    {
        var team = await fixture.CreateTeamAsync();

        var found = await (await team.PatientClient(1).GetAsync("/api/patients")).ReadAsync<List<PatientView>>();

        Assert.Equal([team.Patients[1].PatientId], found.Select(p => p.PatientId));
    }

    [Fact]
    public async Task A_profile_shows_the_patient_with_their_conversations_and_is_an_access_event()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        var patient = team.Patients[0];
        var thread = await staff.StartAsync(patient.PatientId, "Profile conversation");
        await staff.StartAsync(team.Patients[1].PatientId, "Someone else's");

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/patients/{patient.PatientId}");
        // The gateway appends the address it saw; what comes before it is the client's own claim.
        request.Headers.Add("X-Forwarded-For", "10.0.0.1, 203.0.113.7");
        var profile = await (await staff.SendAsync(request)).ReadAsync<PatientProfile>();

        Assert.Equal(patient.FullName, profile.Patient.Name);
        Assert.Equal([thread.Id], profile.Conversations.Select(c => c.Id));
        var accessed = Assert.Single(await fixture.Events.WaitForAsync<PatientProfileAccessed>(e => e.PatientId == patient.PatientId));
        Assert.Equal(team.StaffIds[0], accessed.ActorId);
        Assert.Equal("clinician", accessed.ActorRole);
        Assert.Equal(team.Id, accessed.CareTeamId);
        Assert.Equal("203.0.113.7", accessed.ClientIp);
        Assert.Matches("^[0-9a-f]{32}$", accessed.CorrelationId);
    }

    [Fact]
    public async Task Another_teams_patient_and_an_unknown_patient_are_both_404()
    {
        var team = await fixture.CreateTeamAsync();
        var other = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();

        await (await staff.GetAsync($"/api/patients/{other.Patients[0].PatientId}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await staff.GetAsync("/api/patients/P-does-not-exist")).ProblemAsync(HttpStatusCode.NotFound);
        await (await team.PatientClient(0).GetAsync($"/api/patients/{team.Patients[1].PatientId}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_search_longer_than_200_characters_is_a_400_naming_q()
    {
        var team = await fixture.CreateTeamAsync();

        var response = await team.StaffClient().GetAsync($"/api/patients?q={new string('x', 201)}");

        Assert.Equal(["q"], await response.ValidationErrorsAsync());
    }
}
