using System.Net;
using System.Net.Http.Json;
using CareMessaging.Clients;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
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
        using var response = await client.PostAsJsonAsync(ConversationsClient.ConversationsPath, new StartConversationRequest(
            patient.PatientId, "Broker round trip", "Checking that events reach the audit trail.", Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var conversation = (await response.Content.ReadFromJsonAsync<ConversationThread>(ServiceResponses.Json))!;

        var auditDb = await stack.GetConnectionStringAsync(ResourceNames.AuditDb);
        var recorded = await Eventually.Until(() => CountRecordsAsync(auditDb, conversation.Id), count => count > 0);

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
