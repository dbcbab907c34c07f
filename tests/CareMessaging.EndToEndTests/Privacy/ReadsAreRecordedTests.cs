using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.EndToEndTests.Events;

namespace CareMessaging.EndToEndTests.Privacy;

/// <summary>
/// Reads of patient data that show many rows at once are in the audit trail on the whole stack,
/// as a compliance officer asks for them: "who viewed this patient" names a clinician who saw the
/// patient on a page of the inbox or of the directory, with the kind of access, and not for a
/// patient no page showed; the officer's own question is recorded too (ADR 0018). The clinician
/// and the endocrinology team's patients used here are used by no other test in this collection.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ReadsAreRecordedTests(CareMessagingStack stack)
{
    private const string Team = "endocrinology";

    private static DemoUser Clinician => DemoUsers.ByUserName("priya.raman");

    [Fact]
    public async Task After_a_clinician_lists_the_inbox_and_the_directory_who_viewed_names_them_with_list_and_directory_and_the_question_is_recorded()
    {
        await using var clinician = await SignedInUser.SignInAsync(stack, Clinician);
        await using var officer = await SignedInUser.SignInAsync(stack, DemoUsers.ComplianceOfficer);
        var patients = DemoUsers.PatientsOf(Team);
        var started = await clinician.StartConversationAsync(patients[^1].PatientId!, "Thyroid function results", "Your results are back.");

        // The conversation just started has the team's latest activity, so a page of one shows it alone.
        var page = await clinician.Conversations.ListAsync(limit: 1).OrThrowAsync();
        var onList = Assert.Single(page.Items);
        Assert.Equal(started.Id, onList.Id);
        var onDirectory = Assert.Single(await clinician.Conversations.PatientsAsync(limit: 1).OrThrowAsync()).PatientId;
        var shownNowhere = patients.Select(p => p.PatientId!).First(id => id != onList.PatientId && id != onDirectory);

        var listViewers = await Eventually.Until(
            () => ViewersAsync(officer, onList.PatientId),
            viewers => viewers.Any(v => v.Kind == "list" && v.UserId == Clinician.UserId));
        Assert.Equal(Clinician.Role, listViewers.First(v => v.Kind == "list" && v.UserId == Clinician.UserId).Role);
        await Eventually.Until(
            () => ViewersAsync(officer, onDirectory),
            viewers => viewers.Any(v => v.Kind == "directory" && v.UserId == Clinician.UserId));

        Assert.DoesNotContain(await ViewersAsync(officer, shownNowhere), v => v.UserId == Clinician.UserId);
        var questions = await officer.Http.GetFromJsonAsync<JsonElement>($"/api/audit/records?userId={DemoUsers.ComplianceOfficer.UserId}&action=audit.viewers_listed&limit=500");
        Assert.Contains(questions.GetProperty("items").EnumerateArray(), r =>
            JsonDocument.Parse(r.GetProperty("details").GetString()!).RootElement.GetProperty("patientId").GetString() == shownNowhere);
    }

    private static async Task<IReadOnlyList<Viewer>> ViewersAsync(SignedInUser officer, string patientId)
    {
        var answer = await officer.Http.GetFromJsonAsync<JsonElement>($"/api/audit/patients/{Uri.EscapeDataString(patientId)}/viewers");
        return [.. answer.GetProperty("viewers").EnumerateArray().Select(v => new Viewer(v.GetProperty("userId").GetString()!, v.GetProperty("role").GetString()!, v.GetProperty("kind").GetString()!))];
    }

    private sealed record Viewer(string UserId, string Role, string Kind);
}
