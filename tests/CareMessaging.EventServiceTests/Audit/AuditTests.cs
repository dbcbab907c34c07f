using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CareMessaging.Audit.Apis;
using CareMessaging.Audit.Data;
using CareMessaging.Audit.Retention;
using CareMessaging.Audit.Trail;
using CareMessaging.Audit.Viewers;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Contracts.Identity;
using CareMessaging.EventServiceTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CareMessaging.EventServiceTests.Audit;

[Collection(EventServicesCollection.Name)]
public sealed class AuditTests(EventServicesFixture fixture)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_send_and_a_view_are_recorded_with_who_role_patient_conversation_trace_and_client_address()
    {
        var (clinician, patientId) = (TestUser.Staff(Roles.Clinician, "team-audit"), NewPatientId());
        var world = new ConversationWorld();
        var (conversation, opening) = world.Start(clinician, patientId, "team-audit", [clinician.Id]);
        var viewed = Viewed(clinician, conversation);
        await PublishAndWaitAsync([.. opening, viewed]);

        var page = await SearchAsync(TestUser.Compliance(), $"patientId={patientId}");
        Assert.Equal(3, page.Items.Count);
        var sent = Assert.Single(page.Items, r => r.Action == AuditActions.MessageSent);
        Assert.Equal((clinician.Id, Roles.Clinician, conversation.Id, "conversation"), (sent.ActorId, sent.ActorRole, sent.ConversationId!.Value, sent.SourceService));
        Assert.Contains(((MessageSent)opening[1]).MessageId.ToString(), sent.Details);
        var view = Assert.Single(page.Items, r => r.Action == AuditActions.ConversationViewed);
        Assert.Equal((clinician.Id, Roles.Clinician, patientId, conversation.Id), (view.ActorId, view.ActorRole, view.PatientId, view.ConversationId!.Value));
        Assert.Equal((viewed.CorrelationId, viewed.ClientIp), (view.CorrelationId, view.ClientIp));
        Assert.Equal(viewed.OccurredAt, view.OccurredAt, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Who_viewed_a_patients_messages_is_one_call()
    {
        var patientId = NewPatientId();
        var (nurse, clinician, other) = (TestUser.Staff(Roles.Nurse, "t"), TestUser.Staff(Roles.Clinician, "t"), TestUser.Staff(Roles.Staff, "t"));
        var world = new ConversationWorld();
        var (first, _) = world.Start(nurse, patientId, "t", []);
        var (second, _) = world.Start(nurse, patientId, "t", []);
        var (elsewhere, _) = world.Start(nurse, NewPatientId(), "t", []);
        await PublishAndWaitAsync([Viewed(nurse, first), Viewed(nurse, second), Viewed(clinician, first), Viewed(other, elsewhere)]);

        using var client = fixture.Audit.CreateClient(TestUser.Compliance());
        var viewers = (await client.GetFromJsonAsync<PatientViewers>($"/api/audit/patients/{patientId}/viewers", Json))!;
        Assert.Equal(
            [(clinician.Id, Roles.Clinician, 1), (nurse.Id, Roles.Nurse, 2)],
            viewers.Viewers.Select(v => (v.UserId, v.Role, v.Views)).OrderBy(v => v.Role).ToList());
    }

    [Fact]
    public async Task Identity_events_are_recorded_without_secrets_and_a_failed_sign_in_of_no_account_has_an_unknown_actor()
    {
        var userId = $"user-{Guid.NewGuid():N}";
        var succeeded = new SignInSucceeded { EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, UserId = userId, Role = Roles.Nurse, SessionId = "s-1", MultiFactor = true, ClientIp = "10.1.2.3" };
        var failed = new SignInFailed { EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, Reason = SignInFailure.BadCredentials, ClientIp = "10.9.9.9" };
        var revoked = new SessionRevoked { EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, UserId = userId, SessionId = "s-1", RevokedBy = "admin-1" };
        await PublishAndWaitAsync([succeeded, failed, revoked]);

        var mine = await SearchAsync(TestUser.Compliance(), $"userId={userId}");
        var signIn = Assert.Single(mine.Items);
        Assert.Equal((AuditActions.SignInSucceeded, Roles.Nurse, "identity", "10.1.2.3"), (signIn.Action, signIn.ActorRole, signIn.SourceService, signIn.ClientIp));
        var failures = await SearchAsync(TestUser.Compliance(), $"action={AuditActions.SignInFailed}&limit=500");
        Assert.Contains(failures.Items, r => r.EventId == failed.EventId && r.ActorId == AuditEntry.UnknownActor && r.ClientIp == "10.9.9.9");
        var revokedRecord = (await SearchAsync(TestUser.Compliance(), "userId=admin-1&action=identity.session_revoked&limit=500")).Items.Single(r => r.EventId == revoked.EventId);
        Assert.Contains(userId, revokedRecord.Details);
    }

    [Fact]
    public async Task Verify_passes_and_after_one_row_is_altered_in_the_database_it_names_that_row()
    {
        var clinician = TestUser.Staff(Roles.Clinician, "team-verify");
        var world = new ConversationWorld();
        var (conversation, opening) = world.Start(clinician, NewPatientId(), "team-verify", [clinician.Id]);
        await PublishAndWaitAsync([.. opening, Viewed(clinician, conversation), world.Send(clinician, conversation)]);
        Assert.True((await VerifyAsync()).Valid);

        var target = (await SearchAsync(TestUser.Compliance(), $"userId={clinician.Id}&action={AuditActions.ConversationViewed}")).Items.Single();
        await AlterActorAsync(target.Id, "someone-else");
        try
        {
            var verification = await VerifyAsync();
            Assert.False(verification.Valid);
            Assert.Equal(target.Id, verification.FirstBrokenRecordId);
        }
        finally
        {
            await AlterActorAsync(target.Id, target.ActorId);
        }

        Assert.True((await VerifyAsync()).Valid);
    }

    [Fact]
    public async Task The_database_refuses_to_update_delete_or_truncate_audit_records()
    {
        await PublishAndWaitAsync([Viewed(TestUser.Staff(Roles.Nurse, "t"), new ConversationWorld().Start(TestUser.Staff(Roles.Nurse, "t"), NewPatientId(), "t", []).Conversation)]);
        await using var connection = new NpgsqlConnection(fixture.AuditDbConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[] { "UPDATE audit_records SET actor_id = 'x'", "DELETE FROM audit_records", "TRUNCATE audit_records" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        Assert.True((await VerifyAsync()).Valid);
    }

    [Fact]
    public async Task Only_the_compliance_role_may_read_the_trail_and_bad_queries_name_the_parameter()
    {
        var staff = TestUser.Staff(Roles.Clinician, "t");
        foreach (var user in new[] { staff, TestUser.Admin(), TestUser.Patient(NewPatientId()) })
        {
            using var client = fixture.Audit.CreateClient(user);
            foreach (var path in new[] { "/api/audit/records", "/api/audit/verify", "/api/audit/patients/P-1/viewers", "/api/audit/export?from=2026-01-01&to=2026-02-01" })
            {
                Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(path)).StatusCode);
            }
        }

        using var anonymous = fixture.Audit.CreateClient(user: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/audit/records")).StatusCode);

        using var compliance = fixture.Audit.CreateClient(TestUser.Compliance());
        foreach (var (query, field) in new[] { ("from=yesterday", "from"), ("limit=0", "limit"), ("limit=501", "limit"), ("cursor=not-a-cursor", "cursor"), ("from=2026-02-01&to=2026-01-01", "to") })
        {
            var response = await compliance.GetAsync($"/api/audit/records?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{query} did not name {field}");
        }

        var export = await compliance.GetAsync("/api/audit/export?to=2026-01-01&format=xml");
        Assert.Equal(HttpStatusCode.BadRequest, export.StatusCode);
        var errors = (await export.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("from", out _));
        Assert.True(errors.TryGetProperty("format", out _));
    }

    [Fact]
    public async Task Search_filters_by_user_action_and_time_and_pages_newest_first()
    {
        var nurse = TestUser.Staff(Roles.Nurse, "t");
        var world = new ConversationWorld();
        var (conversation, opening) = world.Start(nurse, NewPatientId(), "t", [nurse.Id]);
        var views = Enumerable.Range(0, 5).Select(_ => Viewed(nurse, conversation)).ToList();
        await PublishAndWaitAsync([.. opening, .. views]);

        var viewsQuery = $"userId={nurse.Id}&action={AuditActions.ConversationViewed}&limit=2";
        var first = await SearchAsync(TestUser.Compliance(), viewsQuery);
        var second = await SearchAsync(TestUser.Compliance(), $"{viewsQuery}&cursor={first.NextCursor}");
        var third = await SearchAsync(TestUser.Compliance(), $"{viewsQuery}&cursor={second.NextCursor}");
        Assert.Equal([2, 2, 1], new[] { first, second, third }.Select(p => p.Items.Count));
        Assert.Null(third.NextCursor);
        var ids = new[] { first, second, third }.SelectMany(p => p.Items).Select(r => r.Id).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(views.Select(v => v.EventId).ToHashSet(), new[] { first, second, third }.SelectMany(p => p.Items).Select(r => r.EventId).ToHashSet());

        var window = $"from={Iso(views[1].OccurredAt)}&to={Iso(views[3].OccurredAt)}";
        var inWindow = await SearchAsync(TestUser.Compliance(), $"userId={nurse.Id}&{window}");
        Assert.Equal(views.Skip(1).Take(3).Select(v => v.EventId).ToHashSet(), inWindow.Items.Select(r => r.EventId).ToHashSet());
    }

    [Fact]
    public async Task Records_appended_between_two_page_requests_do_not_shift_or_repeat_what_the_next_page_shows()
    {
        var nurse = TestUser.Staff(Roles.Nurse, "t");
        var (conversation, _) = new ConversationWorld().Start(nurse, NewPatientId(), "t", []);
        var earlier = Enumerable.Range(0, 4).Select(_ => Viewed(nurse, conversation)).ToList();
        await PublishAndWaitAsync(earlier);

        var query = $"userId={nurse.Id}&limit=2";
        var first = await SearchAsync(TestUser.Compliance(), query);
        await PublishAndWaitAsync([Viewed(nurse, conversation), Viewed(nurse, conversation)]);
        var second = await SearchAsync(TestUser.Compliance(), $"{query}&cursor={first.NextCursor}");

        // The two pages hold the four earlier views, each once, newest first; the later two are not on the second page.
        var shown = first.Items.Concat(second.Items).ToList();
        Assert.Equal(earlier.Select(v => v.EventId).Order(), shown.Select(r => r.EventId).Order());
        Assert.Equal(shown.Select(r => r.Id).OrderDescending(), shown.Select(r => r.Id));
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public async Task Export_streams_a_date_range_as_csv_and_ndjson_whose_hashes_an_auditor_can_recompute()
    {
        var nurse = TestUser.Staff(Roles.Nurse, "t");
        var world = new ConversationWorld();
        var (conversation, opening) = world.Start(nurse, NewPatientId(), "t", [nurse.Id]);
        // A value with a comma, a quote and a formula character, as a hostile client could send.
        var viewed = Viewed(nurse, conversation) with { ClientIp = "=1,\"2\"" };
        await PublishAndWaitAsync([.. opening, viewed]);
        var range = $"from={Iso(DateTimeOffset.UtcNow.AddHours(-3))}&to={Iso(DateTimeOffset.UtcNow.AddMinutes(1))}&userId={nurse.Id}";

        var compliance = TestUser.Compliance();
        using var client = fixture.Audit.CreateClient(compliance);
        var ndjson = await client.GetAsync($"/api/audit/export?{range}&format=ndjson");
        Assert.Equal("application/x-ndjson", ndjson.Content.Headers.ContentType!.MediaType);
        var records = (await ndjson.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize<AuditRecord>(line, Json)!).ToList();
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Equal(r.Hash, CanonicalHash(r)));

        var csv = await client.GetAsync($"/api/audit/export?{range}&format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,event_id,occurred_at,recorded_at,action,actor_id", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Contains(lines, l => l.Contains(viewed.EventId.ToString()) && l.Contains("\"'=1,\"\"2\"\"\""));

        var exports = await SearchAsync(TestUser.Compliance(), $"userId={compliance.Id}&action={AuditActions.Exported}");
        Assert.Equal(2, exports.Items.Count);
    }

    [Fact]
    public async Task The_purge_removes_only_records_past_retention_records_its_run_and_leaves_the_chain_verifiable()
    {
        var nurse = TestUser.Staff(Roles.Nurse, "t");
        var world = new ConversationWorld();
        var (old, oldOpening) = world.Start(nurse, NewPatientId(), "t", [nurse.Id]);
        await PublishAndWaitAsync(oldOpening);
        var boundary = await DatabaseNowAsync();
        var (recent, recentOpening) = world.Start(nurse, NewPatientId(), "t", [nurse.Id]);
        await PublishAndWaitAsync(recentOpening);

        // Six years on from the boundary, everything recorded before it is past retention.
        await using (var scope = fixture.Audit.Services.CreateAsyncScope())
        {
            var anchor = await scope.ServiceProvider.GetRequiredService<RetentionPurge>().RunAsync(boundary.AddYears(6), CancellationToken.None);
            Assert.True(anchor.PurgedCount > 0);
        }

        var compliance = TestUser.Compliance();
        Assert.Empty((await SearchAsync(compliance, $"patientId={old.PatientId}")).Items);
        Assert.Equal(2, (await SearchAsync(compliance, $"patientId={recent.PatientId}")).Items.Count);
        var purge = (await SearchAsync(compliance, $"action={AuditActions.Purged}")).Items[0];
        var recorded = JsonSerializer.Deserialize<PurgeAnchor>(purge.Details!, Json)!;
        Assert.Equal(boundary, recorded.Cutoff, TimeSpan.FromMilliseconds(1));
        Assert.Equal(await FirstPreviousHashAsync(), recorded.ContinuesFromHash);

        var verification = await VerifyAsync();
        Assert.True(verification.Valid, verification.Problem);
    }

    [Fact]
    public async Task Appends_from_two_replicas_consuming_concurrently_form_one_unbroken_chain()
    {
        // Disposed at the end, so that later tests know which host records their events.
        await using var second = fixture.CreateAudit();
        _ = second.Server;
        var watcher = ConsumeWatcher.Attach(second.Services);
        var nurse = TestUser.Staff(Roles.Nurse, "t");
        var world = new ConversationWorld();
        var (conversation, opening) = world.Start(nurse, NewPatientId(), "t", [nurse.Id]);
        var views = Enumerable.Range(0, 300).Select(_ => (IIntegrationEvent)Viewed(nurse, conversation)).ToList();
        await fixture.PublishAsync([.. opening, .. views]);

        var page = await Eventually.Until(() => SearchAsync(TestUser.Compliance(), $"userId={nurse.Id}&limit=500"), p => p.Items.Count == 302);
        Assert.Equal(302, page.Items.Count);
        Assert.Contains(views, v => watcher.Count(v.EventId) > 0);
        Assert.Contains(views, v => fixture.AuditConsumed.Count(v.EventId) > 0);
        var verification = await VerifyAsync();
        Assert.True(verification.Valid, verification.Problem);
    }

    [Fact]
    public async Task A_burst_of_sends_each_delivered_twice_is_recorded_once_per_message_in_one_unbroken_chain()
    {
        var clinician = TestUser.Staff(Roles.Clinician, "team-burst");
        var world = new ConversationWorld();
        var (conversation, opening) = world.Start(clinician, NewPatientId(), "team-burst", [clinician.Id]);
        var sends = Enumerable.Range(0, 400).Select(_ => world.Send(clinician, conversation, TimeSpan.FromMilliseconds(5))).ToList();
        await fixture.PublishAsync([.. opening, .. sends, .. sends.Take(150)]);

        var page = await Eventually.Until(
            () => SearchAsync(TestUser.Compliance(), $"userId={clinician.Id}&action={AuditActions.MessageSent}&limit=500"),
            p => p.Items.Count >= 401);
        await Eventually.Until(() => Task.FromResult(fixture.AuditConsumed.Count(sends[149].EventId)), count => count >= 2);
        page = await SearchAsync(TestUser.Compliance(), $"userId={clinician.Id}&action={AuditActions.MessageSent}&limit=500");
        Assert.Equal(401, page.Items.Count);
        Assert.Equal(401, page.Items.Select(r => r.Details).Distinct().Count());
        var verification = await VerifyAsync();
        Assert.True(verification.Valid, verification.Problem);
    }

    [Fact]
    public async Task Records_written_before_the_chain_existed_are_chained_by_the_migration()
    {
        var connectionString = await CreateDatabaseAsync();
        await using var db = new AuditDbContext(new DbContextOptionsBuilder<AuditDbContext>().UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("20261125201023_Initial");
        foreach (var service in new[] { "stats", "audit", "conversation" })
        {
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO audit_records (event_id, occurred_at, recorded_at, action, actor_id, actor_role, source_service) VALUES ({Guid.NewGuid()}, now(), now(), 'service.started', {"service:" + service}, 'system', {service})");
        }

        await migrator.MigrateAsync();
        var trail = new AuditTrail(db);
        await trail.AppendAsync(new AuditEntry
        {
            EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, Action = AuditActions.ServiceStarted,
            ActorId = "service:stats/after", ActorRole = AuditEntry.SystemRole, SourceService = "stats",
        }, CancellationToken.None);

        var verification = await trail.VerifyAsync(CancellationToken.None);
        Assert.True(verification.Valid, verification.Problem);
        Assert.Equal(4, verification.RecordsChecked);
    }

    [Fact]
    public async Task A_trail_database_the_previous_version_migrated_is_upgraded_at_start_and_keeps_its_chain()
    {
        var connectionString = await CreateDatabaseAsync();
        var recorded = new AuditEntry
        {
            EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, Action = AuditActions.ServiceStarted,
            ActorId = "service:stats/before-upgrade", ActorRole = AuditEntry.SystemRole, SourceService = "stats",
        };

        // As the previous version left it: migrated with EF Core's default names, its history table included.
        var previousModel = new DbContextOptionsBuilder<AuditDbContext>().UseNpgsql(connectionString)
            .ConfigureWarnings(warnings => warnings.Ignore(RelationalEventId.PendingModelChangesWarning)).Options;
        await using (var previous = new AuditDbContext(previousModel))
        {
            await previous.GetService<IMigrator>().MigrateAsync("20261125203505_TamperEvidentTrail");
            Assert.True(await new AuditTrail(previous).AppendAsync(recorded, CancellationToken.None));
        }

        await using var upgraded = new ServiceFactory<AuditTrail>(ResourceNames.Audit, new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ResourceNames.AuditDb}"] = connectionString,
            [$"ConnectionStrings:{ResourceNames.Messaging}"] = fixture.MessagingConnectionString,
            ["Audit:Retention:Enabled"] = "false",
        });
        using var client = upgraded.CreateClient(TestUser.Compliance());
        var verification = (await client.GetFromJsonAsync<ChainVerification>("/api/audit/verify", Json))!;
        Assert.True(verification.Valid, verification.Problem);
        var page = (await client.GetFromJsonAsync<AuditPage>($"/api/audit/records?userId={recorded.ActorId}", Json))!;
        Assert.Equal(recorded.EventId, Assert.Single(page.Items).EventId);
    }

    private static string NewPatientId() => $"P-{Guid.NewGuid():N}"[..14];

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));

    private static ConversationAccessed Viewed(TestUser viewer, WorldConversation conversation) => new ConversationAccessed(new ConversationEventHeader(Guid.NewGuid(), DateTimeOffset.UtcNow, viewer.Id, viewer.Role, conversation.Id, conversation.PatientId, conversation.CareTeamId))
    {
        CorrelationId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        ClientIp = "192.0.2.10",
    };

    /// <summary>A new, empty database on the fixture's server.</summary>
    private async Task<string> CreateDatabaseAsync()
    {
        var database = $"auditdb_upgrade_{Guid.NewGuid():N}"[..30];
        await using (var server = new NpgsqlConnection(fixture.AuditDbConnectionString))
        {
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", server);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(fixture.AuditDbConnectionString) { Database = database }.ConnectionString;
    }

    private async Task PublishAndWaitAsync(IReadOnlyList<IIntegrationEvent> events)
    {
        await fixture.PublishAsync(events);
        foreach (var @event in events)
        {
            Assert.True(await fixture.AuditConsumed.WaitForAsync(@event.EventId), $"{@event.GetType().Name} was not recorded");
        }
    }

    private async Task<AuditPage> SearchAsync(TestUser caller, string query)
    {
        using var client = fixture.Audit.CreateClient(caller);
        return (await client.GetFromJsonAsync<AuditPage>($"/api/audit/records?{query}", Json))!;
    }

    private async Task<ChainVerification> VerifyAsync()
    {
        using var client = fixture.Audit.CreateClient(TestUser.Compliance());
        return (await client.GetFromJsonAsync<ChainVerification>("/api/audit/verify", Json))!;
    }

    /// <summary>Changes one record as someone with the database's superuser rights could: with the append-only trigger off.</summary>
    private async Task AlterActorAsync(long id, string actorId)
    {
        await using var connection = new NpgsqlConnection(fixture.AuditDbConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var disable = new NpgsqlCommand("ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only", connection, transaction))
        {
            await disable.ExecuteNonQueryAsync();
        }

        await using (var update = new NpgsqlCommand("UPDATE audit_records SET actor_id = $1 WHERE id = $2", connection, transaction))
        {
            update.Parameters.AddWithValue(actorId);
            update.Parameters.AddWithValue(id);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        await using (var enable = new NpgsqlCommand("ALTER TABLE audit_records ENABLE TRIGGER audit_records_append_only", connection, transaction))
        {
            await enable.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private async Task<DateTimeOffset> DatabaseNowAsync() =>
        (DateTimeOffset)(await ScalarAsync("SELECT clock_timestamp()"))!;

    private async Task<string> FirstPreviousHashAsync() =>
        (string)(await ScalarAsync("SELECT previous_hash FROM audit_records ORDER BY id LIMIT 1"))!;

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.AuditDbConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DateTime time ? new DateTimeOffset(time, TimeSpan.Zero) : value;
    }

    /// <summary>The canonical form of docs/decisions/0030-audit-hash-chain.md, computed independently of the database.</summary>
    private static string CanonicalHash(AuditRecord r)
    {
        static string Field(string name, string? value) =>
            value is null ? $"{name}=-\n" : $"{name}={Encoding.UTF8.GetByteCount(value)}:{value}\n";
        static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        var canonical = "caremessaging-audit-v1\n"
            + Field("event_id", r.EventId.ToString())
            + Field("occurred_at", Time(r.OccurredAt))
            + Field("recorded_at", Time(r.RecordedAt))
            + Field("action", r.Action)
            + Field("actor_id", r.ActorId)
            + Field("actor_role", r.ActorRole)
            + Field("source_service", r.SourceService)
            + Field("patient_id", r.PatientId)
            + Field("conversation_id", r.ConversationId?.ToString())
            + Field("correlation_id", r.CorrelationId)
            + Field("client_ip", r.ClientIp)
            + Field("details", r.Details)
            + Field("previous_hash", r.PreviousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
