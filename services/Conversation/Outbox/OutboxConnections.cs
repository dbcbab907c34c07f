using Npgsql;

namespace CareMessaging.Conversation.Outbox;

/// <summary>
/// The outbox's own small connection pool, named <c>conversation-outbox</c> in
/// <c>pg_stat_activity</c>: requests that use up the service's pool cannot starve the dispatcher,
/// so a busy service still drains its events.
/// </summary>
public sealed class OutboxConnections(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public const string ApplicationName = "conversation-outbox";

    public NpgsqlDataSource DataSource { get; } = dataSource;

    public static OutboxConnections Create(string connectionString) =>
        new(new NpgsqlDataSourceBuilder(connectionString)
        {
            ConnectionStringBuilder = { ApplicationName = ApplicationName, MaxPoolSize = 8, MinPoolSize = 1 },
        }.Build());

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
