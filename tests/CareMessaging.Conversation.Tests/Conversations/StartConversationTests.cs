using System.Net;
using System.Net.Http.Json;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Conversations;
using CareMessaging.Conversation.Tests.Infrastructure;

namespace CareMessaging.Conversation.Tests.Conversations;

[Collection(ConversationServiceCollection.Name)]
public sealed class StartConversationTests(ConversationServiceFixture fixture)
{
    [Fact]
    public async Task Staff_starts_a_conversation_and_reads_it_back_with_its_first_message()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        var patient = team.Patients[0];

        var response = await staff.PostAsJsonAsync("/api/conversations", new
        {
            patientId = patient.PatientId,
            topic = "  Medication refill  ",
            body = "Your refill is ready at the pharmacy.",
            clientMessageId = Api.NewKey(),
        });
        var thread = await response.ReadAsync<ConversationThread>(HttpStatusCode.Created);

        Assert.Equal($"/api/conversations/{thread.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Medication refill", thread.Topic);
        Assert.Equal(patient.PatientId, thread.PatientId);
        Assert.Equal(patient.FullName, thread.PatientName);
        Assert.Equal("GF", thread.PatientInitials);
        Assert.Equal(ConversationStatus.Open, thread.Status);
        Assert.Equal(1, thread.MessageCount);
        Assert.Equal(0, thread.UnreadCount);
        Assert.False(thread.AwaitingResponse);
        Assert.Equal("Your refill is ready at the pharmacy.", thread.LastMessagePreview);
        var message = Assert.Single(thread.Messages.Items);
        Assert.Equal(1, message.Sequence);
        Assert.Equal(SenderKind.Staff, message.SenderKind);
        Assert.StartsWith("Dr. Staff 0", message.SenderName, StringComparison.Ordinal);
        Assert.True(message.FromMe);

        var seenByPatient = await team.PatientClient().ThreadAsync(thread.Id);
        Assert.Equal(1, seenByPatient.UnreadCount);
        Assert.False(Assert.Single(seenByPatient.Messages.Items).FromMe);
    }

    [Fact]
    public async Task Patient_starts_a_conversation_about_themselves_and_it_awaits_a_response()
    {
        var team = await fixture.CreateTeamAsync();
        var patient = team.Patients[1];
        using var client = team.PatientClient(1);

        var thread = await client.StartAsync(patient.PatientId, "Question about my results", "Are my lab results in?");

        Assert.True(thread.AwaitingResponse);
        var message = Assert.Single(thread.Messages.Items);
        Assert.Equal(SenderKind.Patient, message.SenderKind);
        Assert.Equal(patient.FullName, message.SenderName);
        var staffView = await team.StaffClient().ListAsync();
        Assert.Equal(1, Assert.Single(staffView.Items).UnreadCount);
    }

    [Fact]
    public async Task Patient_naming_another_patient_gets_404()
    {
        var team = await fixture.CreateTeamAsync();
        using var client = team.PatientClient(0);

        var response = await client.PostAsJsonAsync("/api/conversations", new
        {
            patientId = team.Patients[1].PatientId,
            topic = "Not my record",
            body = "Hello",
            clientMessageId = Api.NewKey(),
        });

        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Staff_cannot_start_a_conversation_with_another_teams_patient()
    {
        var team = await fixture.CreateTeamAsync();
        var other = await fixture.CreateTeamAsync();

        var response = await team.StaffClient().PostAsJsonAsync("/api/conversations", new
        {
            patientId = other.Patients[0].PatientId,
            topic = "Follow-up",
            body = "Hello",
            clientMessageId = Api.NewKey(),
        });

        await response.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await other.StaffClient().ListAsync()).Items);
    }

    [Fact]
    public async Task Each_invalid_field_is_named_in_the_400()
    {
        var team = await fixture.CreateTeamAsync();

        var response = await team.StaffClient().PostAsJsonAsync("/api/conversations", new { patientId = "", topic = " a ", body = "   " });

        var fields = await response.ValidationErrorsAsync();
        Assert.Equal(["body", "clientMessageId", "patientId", "topic"], fields.Order());
        Assert.Empty((await team.StaffClient().ListAsync()).Items);
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(120, true)]
    [InlineData(121, false)]
    public async Task Topic_must_have_3_to_120_characters_after_trimming(int length, bool accepted)
    {
        var team = await fixture.CreateTeamAsync(patients: 1);

        var response = await team.StaffClient().PostAsJsonAsync("/api/conversations", new
        {
            patientId = team.Patients[0].PatientId,
            topic = $"   {new string('t', length)}   ",
            body = "Hello",
            clientMessageId = Api.NewKey(),
        });

        if (accepted)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        else
        {
            Assert.Equal(["topic"], await response.ValidationErrorsAsync());
        }
    }

    [Fact]
    public async Task A_retried_start_with_the_same_client_message_id_returns_the_original()
    {
        var team = await fixture.CreateTeamAsync();
        using var staff = team.StaffClient();
        var key = Api.NewKey();
        var request = new { patientId = team.Patients[0].PatientId, topic = "Appointment", body = "See you on Monday.", clientMessageId = key };

        var first = await (await staff.PostAsJsonAsync("/api/conversations", request)).ReadAsync<ConversationThread>(HttpStatusCode.Created);
        var retried = await (await staff.PostAsJsonAsync("/api/conversations", request)).ReadAsync<ConversationThread>(HttpStatusCode.OK);

        Assert.Equal(first.Id, retried.Id);
        Assert.Equal(first.Messages.Items[0].Id, retried.Messages.Items[0].Id);
        Assert.Single((await staff.ListAsync()).Items);
    }

    [Fact]
    public async Task A_body_that_is_not_json_text_names_the_field()
    {
        var team = await fixture.CreateTeamAsync();

        var response = await team.StaffClient().PostAsync("/api/conversations",
            new StringContent("""{"patientId":"x","topic":42,"body":"b","clientMessageId":"k"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(["topic"], await response.ValidationErrorsAsync());
    }
}
