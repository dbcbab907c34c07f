using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using CareMessaging.Contracts;
using Npgsql;

namespace CareMessaging.EndToEndTests.Security;

/// <summary>
/// Each service signs in to PostgreSQL with a login of its own that reaches only its own database,
/// and the audit trail is written by a login that can add records and never change or remove one
/// (ADR 0028).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class DatabaseLoginTests(CareMessagingStack stack)
{
    public static TheoryData<string, string, string> Services => new()
    {
        { ResourceNames.Conversation, ResourceNames.ConversationDb, ResourceNames.AuditDb },
        { ResourceNames.Audit, ResourceNames.AuditDb, ResourceNames.ConversationDb },
        { ResourceNames.Stats, ResourceNames.StatsDb, ResourceNames.IdentityDb },
        { ResourceNames.Identity, ResourceNames.IdentityDb, ResourceNames.StatsDb },
    };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task A_service_signs_in_with_its_own_login_that_is_no_superuser_and_reaches_no_other_database(
        string service, string database, string otherDatabase)
    {
        var connectionString = await ServiceConnectionStringAsync(service, database);

        await using var own = new NpgsqlConnection(connectionString);
        await own.OpenAsync();
        await using var who = new NpgsqlCommand("SELECT current_user, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user", own);
        await using var reader = await who.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var login = reader.GetString(0);
        Assert.NotEqual("postgres", login);
        Assert.False(reader.GetBoolean(1), $"{service} signs in as a superuser");
        Assert.False(reader.GetBoolean(2), $"{service} may create roles");
        Assert.False(reader.GetBoolean(3), $"{service} may create databases");

        var elsewhere = new NpgsqlConnectionStringBuilder(connectionString) { Database = otherDatabase, Pooling = false }.ConnectionString;
        await using var other = new NpgsqlConnection(elsewhere);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => other.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Theory]
    [InlineData("UPDATE audit_records SET action = 'forged' WHERE id = (SELECT min(id) FROM audit_records)")]
    [InlineData("DELETE FROM audit_records WHERE id = (SELECT min(id) FROM audit_records)")]
    [InlineData("TRUNCATE audit_records")]
    public async Task The_audit_writer_may_add_to_the_trail_and_never_change_or_remove_a_record(string statement)
    {
        var connectionString = await ServiceConnectionStringAsync(ResourceNames.Audit, ResourceNames.AuditDb);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        await using var command = new NpgsqlCommand(statement, connection);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        await using var insert = new NpgsqlCommand("SELECT has_table_privilege('audit_records', 'INSERT')", connection);

        // Refused by the privileges themselves, not only by the append-only trigger behind them.
        Assert.StartsWith("permission denied for table audit_records", refused.MessageText);
        Assert.True((bool)(await insert.ExecuteScalarAsync())!);
    }

    /// <summary>The connection string the AppHost hands <paramref name="service"/> for <paramref name="database"/>.</summary>
    private async Task<string> ServiceConnectionStringAsync(string service, string database)
    {
        var running = await stack.App.ResourceNotifications.WaitForResourceAsync(service, resource => resource.Snapshot.State?.Text == KnownResourceStates.Running);
        return running.Snapshot.EnvironmentVariables.Single(variable => variable.Name == $"ConnectionStrings__{database}").Value
            ?? throw new InvalidOperationException($"{service} has no connection string for {database}.");
    }
}
