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
        var auditDb = await stack.GetConnectionStringAsync(ResourceNames.AuditDb);
        var before = await CountServiceStartsAsync(auditDb, ResourceNames.Stats);

        // A restarted Stats service announces its start; the Audit service records it.
        await stack.RestartAsync(ResourceNames.Stats);

        var deadline = DateTime.UtcNow + TestTimeouts.EventDelivery;
        var after = before;
        while (after == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            after = await CountServiceStartsAsync(auditDb, ResourceNames.Stats);
        }

        Assert.Equal(before + 1, after);
    }

    private static async Task<long> CountServiceStartsAsync(string connectionString, string service)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM audit_records WHERE action = 'service.started' AND source_service = $1", connection);
        command.Parameters.AddWithValue(service);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
