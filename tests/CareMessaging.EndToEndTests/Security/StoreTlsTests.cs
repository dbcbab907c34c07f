using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using CareMessaging.Contracts;
using CareMessaging.EndToEndTests.Events;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using StackExchange.Redis;

namespace CareMessaging.EndToEndTests.Security;

/// <summary>
/// With <c>Infrastructure:Tls</c> the stores take encrypted connections only, with a certificate the
/// AppHost generated for the run, every service requires TLS with the certificate checked, and the
/// whole stack works over it (ADR 0056). TLS is off in the shared stack, so this class starts one
/// stack of its own for all its tests.
/// </summary>
public sealed class StoreTlsTests(StoreTlsTests.TlsStack tls) : IClassFixture<StoreTlsTests.TlsStack>
{
    private const string CareTeam = "cardiology";

    private static readonly string[] ServiceLogins = [ResourceNames.Conversation, ResourceNames.Identity, ResourceNames.Stats, "audit_writer"];

    private CareMessagingStack Stack => tls.Stack;

    [Fact]
    public async Task Over_TLS_a_message_is_delivered_read_back_badged_unread_and_counted_in_the_stats()
    {
        var clinicianUser = DemoUsers.InTeam(CareTeam, Roles.Clinician)[0];
        var patientUser = DemoUsers.PatientsOf(CareTeam)[0];
        await using var clinician = await SignedInUser.SignInAsync(Stack, clinicianUser);
        await using var patient = await SignedInUser.SignInAsync(Stack, patientUser);
        var unreadBefore = (await Eventually.Until(patient.TryGetUnreadAsync, u => u is not null))!.Total;
        var statsBefore = (await Eventually.Until(clinician.TryGetStatsAsync, s => s is not null))!;

        var thread = await clinician.StartConversationAsync(patientUser.PatientId!, "Results over TLS", "Your results are in and all is well.");

        var badge = await Eventually.Until(patient.TryGetUnreadAsync, u => u?.Total == unreadBefore + 1);
        Assert.Equal(unreadBefore + 1, badge!.Total);
        var read = await patient.ViewAsync(thread.Id);
        Assert.Equal("Your results are in and all is well.", Assert.Single(read.Messages.Items).Body);
        await patient.ReadAllAsync(thread.Id);
        Assert.Equal(unreadBefore, (await Eventually.Until(patient.TryGetUnreadAsync, u => u?.Total == unreadBefore))!.Total);
        var stats = await Eventually.Until(clinician.TryGetStatsAsync, s => s?.TotalMessages == statsBefore.TotalMessages + 1);
        Assert.Equal(statsBefore.TotalConversations + 1, stats!.TotalConversations);
        Assert.Equal(statsBefore.TotalMessages + 1, stats.TotalMessages);
    }

    [Fact]
    public async Task PostgreSQL_refuses_a_connection_without_TLS()
    {
        var plain = new NpgsqlConnectionStringBuilder(await Stack.GetConnectionStringAsync(ResourceNames.ConversationDb))
        {
            SslMode = SslMode.Disable,
            Pooling = false,
        };
        await using var connection = new NpgsqlConnection(plain.ConnectionString);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());

        Assert.Equal(PostgresErrorCodes.InvalidAuthorizationSpecification, refused.SqlState);
        Assert.Contains("no encryption", refused.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_service_is_connected_to_PostgreSQL_with_TLS_and_nothing_is_connected_without()
    {
        await using var connection = new NpgsqlConnection(await Stack.GetConnectionStringAsync(ResourceNames.Postgres));
        await connection.OpenAsync();

        var sessions = await Eventually.Until(
            () => TcpSessionsAsync(connection),
            seen => ServiceLogins.All(login => seen.Any(s => s.Login == login)));

        Assert.All(ServiceLogins, login => Assert.Contains(sessions, s => s.Login == login));
        Assert.All(sessions, session => Assert.True(session.Ssl, $"{session.Login} is connected without TLS"));
        Assert.All(sessions, session => Assert.StartsWith("TLSv1.", session.Version, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ResourceNames.Redis)]
    [InlineData(ResourceNames.Sessions)]
    public async Task Redis_answers_only_over_TLS_with_its_certificate(string store)
    {
        var connectionString = await Stack.GetConnectionStringAsync(store);
        var plain = ConfigurationOptions.Parse(connectionString);
        plain.Ssl = false;
        plain.AbortOnConnectFail = true;
        plain.ConnectTimeout = 5_000;
        var encrypted = ConfigurationOptions.Parse(connectionString);
        encrypted.AbortOnConnectFail = true;
        encrypted.ConnectTimeout = 5_000;
        encrypted.TrustIssuer(tls.AuthorityPath);

        await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectionMultiplexer.ConnectAsync(plain));
        await using var redis = await ConnectionMultiplexer.ConnectAsync(encrypted);
        Assert.True(encrypted.Ssl);
        Assert.True((await redis.GetDatabase().PingAsync()) < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task RabbitMQ_refuses_AMQP_without_TLS()
    {
        var broker = new Uri(await Stack.GetConnectionStringAsync(ResourceNames.Messaging));
        Assert.Equal("amqps", broker.Scheme);
        var plain = new ConnectionFactory
        {
            Uri = new UriBuilder(broker) { Scheme = "amqp" }.Uri,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            AutomaticRecoveryEnabled = false,
        };

        using var cancellation = new CancellationTokenSource(TestTimeouts.Request);
        await Assert.ThrowsAsync<BrokerUnreachableException>(() => plain.CreateConnectionAsync(cancellation.Token));
    }

    [Fact]
    public async Task Every_service_is_given_connection_strings_that_require_TLS_with_the_certificate_checked()
    {
        foreach (var service in ResourceNames.Projects)
        {
            var running = await Stack.App.ResourceNotifications.WaitForResourceAsync(service, r => r.Snapshot.State?.Text == KnownResourceStates.Running)
                .WaitAsync(TestTimeouts.Request);
            var environment = running.Snapshot.EnvironmentVariables.ToDictionary(v => v.Name, v => v.Value ?? string.Empty, StringComparer.Ordinal);

            Assert.Equal("true", environment["StoreTls__Required"]);
            Assert.Equal(tls.AuthorityPath, environment["StoreTls__CertificateAuthority"]);
            foreach (var (name, value) in environment.Where(e => e.Key.StartsWith("ConnectionStrings__", StringComparison.Ordinal)))
            {
                var store = name["ConnectionStrings__".Length..];
                if (store == ResourceNames.Messaging)
                {
                    Assert.StartsWith("amqps://", value, StringComparison.Ordinal);
                }
                else if (store is ResourceNames.Redis or ResourceNames.Sessions)
                {
                    Assert.Contains(",ssl=true", value, StringComparison.Ordinal);
                }
                else if (!value.StartsWith("http", StringComparison.Ordinal))
                {
                    Assert.Contains($"SSL Mode=VerifyFull;Root Certificate={tls.AuthorityPath}", value, StringComparison.Ordinal);
                }
            }
        }
    }

    private sealed record TcpSession(string Login, bool Ssl, string Version);

    private static async Task<IReadOnlyList<TcpSession>> TcpSessionsAsync(NpgsqlConnection connection)
    {
        // Connections over TCP (client_addr is set); the server's own workers and local tools use none.
        await using var command = new NpgsqlCommand(
            """
            SELECT a.usename, s.ssl, coalesce(s.version, '')
            FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid
            WHERE a.backend_type = 'client backend' AND a.client_addr IS NOT NULL
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var sessions = new List<TcpSession>();
        while (await reader.ReadAsync())
        {
            sessions.Add(new TcpSession(reader.GetString(0), reader.GetBoolean(1), reader.GetString(2)));
        }

        return sessions;
    }

    /// <summary>The whole stack with <c>Infrastructure:Tls=true</c> on a state folder of its own, started once for the class.</summary>
    public sealed class TlsStack : IAsyncLifetime
    {
        private readonly TemporaryStateDirectory _state = new();
        private CareMessagingStack? _stack;

        public CareMessagingStack Stack => _stack ?? throw new InvalidOperationException("The stack has not started.");

        /// <summary>The certificate authority the AppHost generated into the state folder.</summary>
        public string AuthorityPath => Path.Combine(_state.Path, "tls", "ca.crt");

        public async Task InitializeAsync() => _stack = await CareMessagingStack.StartOnAsync(_state, "Infrastructure:Tls=true");

        public async Task DisposeAsync()
        {
            if (_stack is not null)
            {
                await _stack.DisposeAsync();
            }

            _state.Dispose();
        }
    }
}
