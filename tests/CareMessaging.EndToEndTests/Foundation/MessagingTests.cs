using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.Contracts;
using CareMessaging.Testing;
using Npgsql;

namespace CareMessaging.EndToEndTests.Foundation;

[Collection(StackCollection.Name)]
public sealed class MessagingTests(CareMessagingStack stack)
{
    [Fact]
    public async Task An_event_published_by_one_service_is_consumed_by_another_over_RabbitMQ()
    {
        var clinician = DemoUsers.InTeam("cardiology", Roles.Clinician)[0];
        var patient = DemoUsers.PatientsOf("cardiology")[0];
        using var client = await GatewaySession.SignInAsync(stack, clinician);

        // The Conversation service publishes through its outbox; the Audit service consumes.
        using var response = await client.PostAsJsonAsync("/api/conversations", new
        {
            patientId = patient.PatientId,
            topic = "Broker round trip",
            body = "Checking that events reach the audit trail.",
            clientMessageId = Guid.NewGuid().ToString(),
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var conversationId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var auditDb = await stack.GetConnectionStringAsync(ResourceNames.AuditDb);
        var deadline = DateTime.UtcNow + TestTimeouts.EventDelivery;
        long recorded = 0;
        while (recorded == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            recorded = await CountRecordsAsync(auditDb, conversationId);
        }

        Assert.True(recorded > 0, "The audit trail never recorded the conversation's events.");
    }

    private static async Task<long> CountRecordsAsync(string connectionString, Guid conversationId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM audit_records WHERE source_service = 'conversation' AND conversation_id = $1", connection);
        command.Parameters.AddWithValue(conversationId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
