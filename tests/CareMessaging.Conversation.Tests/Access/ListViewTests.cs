using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Tests.Infrastructure;
using CareMessaging.ServiceDefaults;

namespace CareMessaging.Conversation.Tests.Access;

/// <summary>
/// Every read of patient data that shows many rows is one access event per page, naming what the
/// page showed and never what was searched for (ADR 0018).
/// </summary>
[Collection(ConversationServiceCollection.Name)]
public sealed class ListViewTests(ConversationServiceFixture fixture)
{
    [Fact]
    public async Task A_page_of_the_list_is_one_access_event_naming_the_conversations_and_patients_it_showed_and_no_others()
    {
        var team = await fixture.CreateTeamAsync(patients: 3);
        using var staff = team.StaffClient();
        var started = new List<ConversationThread>();
        foreach (var patient in team.Patients)
        {
            started.Add(await staff.StartAsync(patient.PatientId));
        }

        var page = await staff.ListAsync("?limit=2");

        var listed = Assert.Single(await fixture.OutboxEventsByAsync<ConversationsListed>(team.StaffIds[0]));
        Assert.Equal(ListingKind.List, listed.Kind);
        Assert.Equal(page.Items.Select(i => i.Id), listed.ConversationIds);
        Assert.Equal(page.Items.Select(i => i.PatientId), listed.PatientIds);
        // The oldest conversation was not on the first page, so its patient is not named.
        Assert.DoesNotContain(started[0].PatientId, listed.PatientIds);
    }

    [Fact]
    public async Task A_search_is_recorded_as_a_search_with_what_it_showed_and_without_the_search_term()
    {
        var team = await fixture.CreateTeamAsync(patients: 2);
        using var staff = team.StaffClient();
        var wanted = await staff.StartAsync(team.Patients[0].PatientId, topic: "Insulin dose review");
        await staff.StartAsync(team.Patients[1].PatientId, topic: "Physiotherapy follow-up");

        var page = await staff.ListAsync("?q=insulin");

        var listed = Assert.Single(await fixture.OutboxEventsByAsync<ConversationsListed>(team.StaffIds[0]));
        Assert.Equal(ListingKind.Search, listed.Kind);
        Assert.Equal([wanted.Id], page.Items.Select(i => i.Id));
        Assert.Equal([wanted.Id], listed.ConversationIds);
        Assert.Equal([team.Patients[0].PatientId], listed.PatientIds);
        var payload = await OutboxPayloadsTextAsync(team.StaffIds[0]);
        Assert.DoesNotContain("insulin", payload, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_patients_own_portal_list_is_recorded_as_their_list_view()
    {
        var team = await fixture.CreateTeamAsync(patients: 1);
        var started = await team.StaffClient().StartAsync(team.Patients[0].PatientId);
        using var patient = team.PatientClient();

        await patient.ListAsync();

        var listed = Assert.Single(await fixture.OutboxEventsByAsync<ConversationsListed>(team.Patients[0].PortalUserId!));
        Assert.Equal((ListingKind.List, Roles.Patient), (listed.Kind, listed.ActorRole));
        Assert.Equal([started.Id], listed.ConversationIds);
    }

    [Fact]
    public async Task A_directory_page_is_one_access_event_naming_each_patient_it_showed_without_the_search_term()
    {
        var team = await fixture.CreateTeamAsync(patients: 3);
        using var staff = team.StaffClient();

        var all = await (await staff.GetAsync("/api/patients")).ReadAsync<IReadOnlyList<PatientView>>();
        var found = await (await staff.GetAsync($"/api/patients?q={Uri.EscapeDataString(team.Patients[1].GivenName)}")).ReadAsync<IReadOnlyList<PatientView>>();

        var pages = await fixture.OutboxEventsByAsync<PatientsListed>(team.StaffIds[0]);
        Assert.Equal(2, pages.Count);
        Assert.Equal([false, true], pages.Select(p => p.Searched));
        Assert.Equal(all.Select(p => p.PatientId), pages[0].PatientIds);
        Assert.Equal(found.Select(p => p.PatientId), pages[1].PatientIds);
        Assert.Contains(team.Patients[1].PatientId, pages[1].PatientIds);
        Assert.DoesNotContain(team.Patients[1].GivenName, await OutboxPayloadsTextAsync(team.StaffIds[0]), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_page_of_the_read_model_export_is_recorded_as_an_export_by_the_service_that_fetched_it()
    {
        var team = await fixture.CreateTeamAsync(patients: 1);
        await team.StaffClient().StartAsync(team.Patients[0].PatientId);
        var client = $"stats-{Guid.NewGuid():N}";
        using var service = fixture.Client(fixture.Tokens.ServiceClient(client, Policies.ReadModelScope));

        var page = await (await service.GetAsync("/api/conversations/internal/read-model?limit=5")).ReadAsync<ReadModelPage>();

        var listed = Assert.Single(await fixture.OutboxEventsByAsync<ConversationsListed>(client));
        Assert.Equal((ListingKind.Export, "service"), (listed.Kind, listed.ActorRole));
        Assert.Equal(page.Items.Select(i => i.ConversationId), listed.ConversationIds);
    }

    [Fact]
    public async Task A_list_page_reaches_the_broker_for_the_audit_trail()
    {
        var team = await fixture.CreateTeamAsync(patients: 1);
        using var staff = team.StaffClient();
        var started = await staff.StartAsync(team.Patients[0].PatientId);

        await staff.ListAsync();

        var delivered = await fixture.Events.WaitForAsync<ConversationsListed>(e => e.ActorId == team.StaffIds[0]);
        Assert.Equal([started.Id], Assert.Single(delivered).ConversationIds);
    }

    private async Task<string> OutboxPayloadsTextAsync(string actorId)
    {
        await using var db = await fixture.OpenDatabaseAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT coalesce(string_agg(payload::text, ' '), '') FROM outbox_messages WHERE payload->>'actorId' = $1", db);
        command.Parameters.AddWithValue(actorId);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
