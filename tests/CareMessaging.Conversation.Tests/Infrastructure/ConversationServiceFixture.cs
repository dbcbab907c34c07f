using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Contracts;
using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Patients;
using CareMessaging.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CareMessaging.Conversation.Tests.Infrastructure;

/// <summary>
/// Real PostgreSQL, Redis and RabbitMQ processes (the harness's <see cref="InfrastructureFixture"/>),
/// one Conversation service hosted over them, and an <see cref="EventRecorder"/> on the broker.
/// Tests keep out of each other's way by creating care teams and patients of their own.
/// </summary>
public sealed class ConversationServiceFixture : IAsyncLifetime
{
    public const string FirstKeyId = "k1";

    private readonly InfrastructureFixture _infrastructure = new();

    public TestTokens Tokens { get; } = new(ResourceNames.Conversation);

    public EventRecorder Events { get; } = new();

    public ConversationApiFactory Factory { get; private set; } = null!;

    public InfrastructureStack Infrastructure => _infrastructure.Infrastructure;

    public string DatabaseConnectionString { get; private set; } = string.Empty;

    public string MessagingConnectionString { get; private set; } = string.Empty;

    /// <summary>The first key of the ring, made for this run (never a literal).</summary>
    public string FirstKey { get; } = NewKey();

    public async Task InitializeAsync()
    {
        await _infrastructure.InitializeAsync();
        DatabaseConnectionString = await Infrastructure.GetConnectionStringAsync(ResourceNames.ConversationDb);
        MessagingConnectionString = await Infrastructure.GetConnectionStringAsync(ResourceNames.Messaging);
        await Events.StartAsync(MessagingConnectionString);

        Factory = CreateFactory(new Dictionary<string, string?>
        {
            ["Encryption:ActiveKeyId"] = FirstKeyId,
            [$"Encryption:Keys:{FirstKeyId}"] = FirstKey,
        });
        // Starts the service: migrations run, the bus connects, the dispatcher begins.
        using var client = Factory.CreateClient();
    }

    /// <summary>Another instance of the service on the same database and broker, with extra settings.</summary>
    public ConversationApiFactory CreateFactory(IReadOnlyDictionary<string, string?> extra)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ResourceNames.ConversationDb}"] = DatabaseConnectionString,
            [$"ConnectionStrings:{ResourceNames.Messaging}"] = MessagingConnectionString,
            ["Seed:Demo"] = "false",
            ["Outbox:PollInterval"] = "00:00:00.500",
            ["Outbox:PublishTimeout"] = "00:00:03",
            ["Outbox:InitialBackoff"] = "00:00:00.200",
            ["Outbox:MaxBackoff"] = "00:00:02",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return new ConversationApiFactory(Tokens, settings);
    }

    public HttpClient Client(string? token, ConversationApiFactory? factory = null)
    {
        var client = (factory ?? Factory).CreateClient();
        client.Timeout = TestTimeouts.Request;
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>A care team of its own for one test: staff in the directory and patients with portal accounts.</summary>
    public async Task<TestTeam> CreateTeamAsync(int staff = 2, int patients = 3, string? patientFamilyName = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var team = new TestTeam($"team-{suffix}", this);
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConversationDbContext>();
        db.CareTeams.Add(new CareTeam { Id = team.Id, Name = $"Test team {suffix}" });
        for (var i = 0; i < staff; i++)
        {
            var member = new StaffMember { UserId = $"staff-{suffix}-{i}", DisplayName = $"Dr. Staff {i} {suffix}", Role = Roles.Clinician };
            member.Memberships.Add(new StaffMembership { UserId = member.UserId, CareTeamId = team.Id });
            db.StaffMembers.Add(member);
            team.StaffIds.Add(member.UserId);
        }

        for (var i = 0; i < patients; i++)
        {
            var patient = new Patient
            {
                PatientId = $"P-{suffix}-{i}",
                GivenName = $"Given{i}",
                FamilyName = patientFamilyName ?? $"Family{suffix}",
                DateOfBirth = new DateOnly(1960 + i, 1 + i, 1 + i),
                CareTeamId = team.Id,
                PortalUserId = $"portal-{suffix}-{i}",
            };
            patient.RefreshSearchText();
            db.Patients.Add(patient);
            team.Patients.Add(patient);
        }

        await db.SaveChangesAsync();
        return team;
    }

    public async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        var connection = new NpgsqlConnection(DatabaseConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Outbox rows of one event type about one conversation, sent or not.</summary>
    public async Task<long> CountOutboxAsync<TEvent>(Guid conversationId)
    {
        await using var db = await OpenDatabaseAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM outbox_messages WHERE event_type = $1 AND payload->>'conversationId' = $2", db);
        command.Parameters.AddWithValue(typeof(TEvent).FullName!);
        command.Parameters.AddWithValue(conversationId.ToString());
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The events of one type one actor caused, as written to the outbox (sent or not), oldest first.</summary>
    public async Task<IReadOnlyList<TEvent>> OutboxEventsByAsync<TEvent>(string actorId)
    {
        await using var db = await OpenDatabaseAsync();
        await using var command = new NpgsqlCommand(
            "SELECT payload::text FROM outbox_messages WHERE event_type = $1 AND payload->>'actorId' = $2 ORDER BY id", db);
        command.Parameters.AddWithValue(typeof(TEvent).FullName!);
        command.Parameters.AddWithValue(actorId);
        var events = new List<TEvent>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            events.Add(JsonSerializer.Deserialize<TEvent>(reader.GetString(0), Api.Json)!);
        }

        return events;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Events.DisposeAsync();
        await _infrastructure.DisposeAsync();
    }

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}

/// <summary>A care team made for one test, with its staff and patients.</summary>
public sealed class TestTeam(string id, ConversationServiceFixture fixture)
{
    public string Id { get; } = id;

    public List<string> StaffIds { get; } = [];

    public List<Patient> Patients { get; } = [];

    public HttpClient StaffClient(int index = 0) =>
        fixture.Client(fixture.Tokens.Staff(StaffIds[index], [Id], name: $"Staff {index}"));

    public HttpClient PatientClient(int index = 0) =>
        fixture.Client(fixture.Tokens.Patient(Patients[index].PortalUserId!, Patients[index].PatientId));
}
