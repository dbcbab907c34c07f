using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.Audit.Apis;
using CareMessaging.Audit.Trail;
using CareMessaging.Audit.Viewers;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.EventServiceTests.Infrastructure;

namespace CareMessaging.EventServiceTests.Audit;

/// <summary>
/// What a compliance officer sees of reads of patient data that show many rows at once (list
/// pages, searches, the read-model export, the directory) and of their own reads of the trail
/// (ADR 0018).
/// </summary>
[Collection(EventServicesCollection.Name)]
public sealed class ReadAuditTests(EventServicesFixture fixture)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Who_viewed_a_patient_names_each_reader_with_the_kind_of_access_list_search_directory_profile_and_thread()
    {
        var (patientId, team) = (NewPatientId(), "team-reads");
        var (clinician, nurse, clerk) = (TestUser.Staff(Roles.Clinician, team), TestUser.Staff(Roles.Nurse, team), TestUser.Staff(Roles.Staff, team));
        var conversation = Guid.NewGuid();
        await PublishAndWaitAsync(
        [
            Listed(clinician, ListingKind.List, (conversation, patientId), (Guid.NewGuid(), NewPatientId())),
            Listed(clinician, ListingKind.List, (conversation, patientId)),
            Listed(nurse, ListingKind.Search, (conversation, patientId)),
            Directory(clerk, patientId, NewPatientId()),
            new PatientProfileAccessed { EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, ActorId = clerk.Id, ActorRole = clerk.Role, PatientId = patientId, CareTeamId = team },
            new ConversationAccessed(new ConversationEventHeader(Guid.NewGuid(), DateTimeOffset.UtcNow, nurse.Id, nurse.Role, conversation, patientId, team)),
        ]);

        var viewers = await ViewersAsync(patientId);

        Assert.Equal(
            [
                (clinician.Id, Roles.Clinician, "list", 2),
                (nurse.Id, Roles.Nurse, "search", 1), (nurse.Id, Roles.Nurse, PatientReads.Kinds.Thread, 1),
                (clerk.Id, Roles.Staff, PatientReads.Kinds.Directory, 1), (clerk.Id, Roles.Staff, PatientReads.Kinds.Profile, 1),
            ],
            viewers.Viewers.Select(v => (v.UserId, v.Role, v.Kind, v.Views)).OrderBy(v => v.Role, StringComparer.Ordinal).ThenBy(v => v.Kind, StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task A_page_that_did_not_show_a_patient_is_not_attributed_to_them()
    {
        var (shown, notShown) = (NewPatientId(), NewPatientId());
        var clinician = TestUser.Staff(Roles.Clinician, "team-reads");
        // A patient id that is the start of another must not match it either.
        await PublishAndWaitAsync([Listed(clinician, ListingKind.List, (Guid.NewGuid(), shown), (Guid.NewGuid(), notShown + "0")), Directory(clinician, shown)]);

        Assert.Empty((await ViewersAsync(notShown)).Viewers);
        Assert.Empty((await SearchAsync(TestUser.Compliance(), $"patientId={notShown}")).Items);
        Assert.Equal(2, (await ViewersAsync(shown)).Viewers.Count);
    }

    [Fact]
    public async Task Searching_the_trail_for_a_patient_finds_the_pages_that_showed_them_with_every_id_on_the_page()
    {
        var patientId = NewPatientId();
        var clinician = TestUser.Staff(Roles.Clinician, "team-reads");
        var (mine, other, otherPatient) = (Guid.NewGuid(), Guid.NewGuid(), NewPatientId());
        var page = Listed(clinician, ListingKind.Search, (mine, patientId), (other, otherPatient));
        await PublishAndWaitAsync([page]);

        var record = Assert.Single((await SearchAsync(TestUser.Compliance(), $"patientId={patientId}")).Items);

        Assert.Equal((AuditActions.ConversationsListed, clinician.Id, page.ClientIp, page.CorrelationId), (record.Action, record.ActorId, record.ClientIp, record.CorrelationId));
        var details = JsonDocument.Parse(record.Details!).RootElement;
        Assert.Equal("Search", details.GetProperty("kind").GetString());
        Assert.Equal([mine, other], details.GetProperty("conversationIds").EnumerateArray().Select(e => e.GetGuid()));
        Assert.Equal([patientId, otherPatient], details.GetProperty("patientIds").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_compliance_search_and_a_who_viewed_question_are_themselves_recorded_naming_the_officer_and_the_patient()
    {
        var patientId = NewPatientId();
        var officer = TestUser.Compliance();

        await SearchAsync(officer, $"patientId={patientId}&action={AuditActions.ConversationViewed}");
        using (var client = fixture.Audit.CreateClient(officer))
        {
            (await client.GetAsync($"/api/audit/patients/{patientId}/viewers")).EnsureSuccessStatusCode();
        }

        var own = await SearchAsync(TestUser.Compliance(), $"userId={officer.Id}");
        var viewers = Assert.Single(own.Items, r => r.Action == AuditActions.ViewersListed);
        var search = Assert.Single(own.Items, r => r.Action == AuditActions.Searched);
        Assert.All(own.Items, r => Assert.Equal((Roles.Compliance, ResourceNames.Audit), (r.ActorRole, r.SourceService)));
        Assert.Equal(patientId, JsonDocument.Parse(viewers.Details!).RootElement.GetProperty("patientId").GetString());
        var searched = JsonDocument.Parse(search.Details!).RootElement;
        Assert.Equal((patientId, AuditActions.ConversationViewed, 0), (searched.GetProperty("patientId").GetString(), searched.GetProperty("action").GetString(), searched.GetProperty("shown").GetInt32()));
        // Reading the trail about a patient is not a read of the patient's messages.
        Assert.Empty((await ViewersAsync(patientId)).Viewers);
    }

    private static ConversationsListed Listed(TestUser reader, ListingKind kind, params (Guid Conversation, string Patient)[] shown) => new()
    {
        EventId = Guid.NewGuid(),
        OccurredAt = DateTimeOffset.UtcNow,
        ActorId = reader.Id,
        ActorRole = reader.Role,
        Kind = kind,
        ConversationIds = [.. shown.Select(s => s.Conversation)],
        PatientIds = [.. shown.Select(s => s.Patient).Distinct()],
        CorrelationId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
        ClientIp = "192.0.2.20",
    };

    private static PatientsListed Directory(TestUser reader, params string[] patientIds) => new()
    {
        EventId = Guid.NewGuid(),
        OccurredAt = DateTimeOffset.UtcNow,
        ActorId = reader.Id,
        ActorRole = reader.Role,
        PatientIds = patientIds,
        Searched = true,
    };

    private static string NewPatientId() => $"P-{Guid.NewGuid():N}"[..14];

    private async Task PublishAndWaitAsync(IReadOnlyList<IIntegrationEvent> events)
    {
        await fixture.PublishAsync(events);
        foreach (var @event in events)
        {
            Assert.True(await fixture.AuditConsumed.WaitForAsync(@event.EventId), $"{@event.GetType().Name} was not recorded");
        }
    }

    private async Task<PatientViewers> ViewersAsync(string patientId)
    {
        using var client = fixture.Audit.CreateClient(TestUser.Compliance());
        return (await client.GetFromJsonAsync<PatientViewers>($"/api/audit/patients/{patientId}/viewers", Json))!;
    }

    private async Task<AuditPage> SearchAsync(TestUser caller, string query)
    {
        using var client = fixture.Audit.CreateClient(caller);
        return (await client.GetFromJsonAsync<AuditPage>($"/api/audit/records?{query}", Json))!;
    }
}
