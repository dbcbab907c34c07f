using System.Security.Cryptography;
using System.Text.Json;
using CareMessaging.Audit.Consumers;
using CareMessaging.Audit.Data;
using CareMessaging.Audit.Trail;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Contracts.Identity;
using CareMessaging.Contracts.Operations;
using CareMessaging.EventServiceTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace CareMessaging.EventServiceTests.Audit;

/// <summary>
/// What the trail writes for each event it records, field by field, as an auditor would check it;
/// and the queues the recorder reads from, which deployed brokers already hold.
/// </summary>
[Collection(EventServicesCollection.Name)]
public sealed class AuditTableTests(EventServicesFixture fixture)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Every_recorded_event_is_written_with_its_actor_patient_details_and_the_service_that_publishes_it()
    {
        var (user, patient, conversation, now) = ($"user-{Guid.NewGuid():N}", $"P-{Guid.NewGuid():N}"[..14], Guid.NewGuid(), DateTimeOffset.UtcNow);
        var trace = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var messageId = Guid.NewGuid();
        var lockedUntil = now.AddMinutes(15);
        var expected = new Expected[]
        {
            new(new ConversationStarted(new ConversationEventHeader(Guid.NewGuid(), now, user, Roles.Nurse, conversation, patient, "team-a")) { Audience = [user] },
                AuditActions.ConversationStarted, ResourceNames.Conversation, user, Roles.Nurse, patient, conversation, Details: new { CareTeamId = "team-a" }),
            new(new MessageSent(new ConversationEventHeader(Guid.NewGuid(), now, user, Roles.Nurse, conversation, patient, "team-a")) { SenderKind = SenderKind.Staff, MessageId = messageId, Sequence = 4, MessageCount = 4, Audience = [user] },
                AuditActions.MessageSent, ResourceNames.Conversation, user, Roles.Nurse, patient, conversation, Details: new { MessageId = messageId, Sequence = 4L, SenderKind = "Staff" }),
            new(new ConversationRead(new ConversationEventHeader(Guid.NewGuid(), now, user, Roles.Nurse, conversation, patient, "team-a")) { ReadUpToSequence = 3 },
                AuditActions.ConversationRead, ResourceNames.Conversation, user, Roles.Nurse, patient, conversation, Details: new { ReadUpToSequence = 3L }),
            new(new ConversationStatusChanged(new ConversationEventHeader(Guid.NewGuid(), now, user, Roles.Nurse, conversation, patient, "team-a")) { PreviousStatus = ConversationStatus.Open, Status = ConversationStatus.Resolved },
                AuditActions.ConversationStatusChanged, ResourceNames.Conversation, user, Roles.Nurse, patient, conversation, Details: new { From = "Open", To = "Resolved" }),
            new(new ConversationAccessed(new ConversationEventHeader(Guid.NewGuid(), now, user, Roles.Nurse, conversation, patient, "team-a")) { CorrelationId = trace, ClientIp = "192.0.2.7" },
                AuditActions.ConversationViewed, ResourceNames.Conversation, user, Roles.Nurse, patient, conversation, "192.0.2.7", trace, new { CareTeamId = "team-a" }),
            new(new PatientProfileAccessed { EventId = Guid.NewGuid(), OccurredAt = now, ActorId = user, ActorRole = Roles.Nurse, PatientId = patient, CareTeamId = "team-a", CorrelationId = trace, ClientIp = "192.0.2.8" },
                AuditActions.PatientProfileViewed, ResourceNames.Conversation, user, Roles.Nurse, patient, null, "192.0.2.8", trace, new { CareTeamId = "team-a" }),
            new(new ConversationsListed { EventId = Guid.NewGuid(), OccurredAt = now, ActorId = user, ActorRole = Roles.Nurse, Kind = ListingKind.Search, ConversationIds = [conversation], PatientIds = [patient], CorrelationId = trace, ClientIp = "192.0.2.15" },
                AuditActions.ConversationsListed, ResourceNames.Conversation, user, Roles.Nurse, null, null, "192.0.2.15", trace,
                new { Kind = "Search", ConversationIds = new[] { conversation }, PatientIds = new[] { patient } }),
            new(new PatientsListed { EventId = Guid.NewGuid(), OccurredAt = now, ActorId = user, ActorRole = Roles.Nurse, PatientIds = [patient], Searched = false, CorrelationId = trace, ClientIp = "192.0.2.16" },
                AuditActions.PatientsListed, ResourceNames.Conversation, user, Roles.Nurse, null, null, "192.0.2.16", trace,
                new { Searched = false, PatientIds = new[] { patient } }),
            new(new SignInSucceeded { EventId = Guid.NewGuid(), OccurredAt = now, UserId = user, Role = Roles.Nurse, SessionId = "s-9", MultiFactor = true, ClientIp = "192.0.2.9" },
                AuditActions.SignInSucceeded, ResourceNames.Identity, user, Roles.Nurse, ClientIp: "192.0.2.9", Details: new { SessionId = "s-9", MultiFactor = true }),
            new(new SignInFailed { EventId = Guid.NewGuid(), OccurredAt = now, UserId = user, Reason = SignInFailure.MfaCodeRejected, ClientIp = "192.0.2.10" },
                AuditActions.SignInFailed, ResourceNames.Identity, user, AuditEntry.UnknownRole, ClientIp: "192.0.2.10", Details: new { Reason = "MfaCodeRejected" }),
            new(new SignInFailed { EventId = Guid.NewGuid(), OccurredAt = now, Reason = SignInFailure.BadCredentials },
                AuditActions.SignInFailed, ResourceNames.Identity, AuditEntry.UnknownActor, AuditEntry.UnknownRole, Details: new { Reason = "BadCredentials" }),
            new(new AccountLockedOut { EventId = Guid.NewGuid(), OccurredAt = now, UserId = user, LockedUntil = lockedUntil, ClientIp = "192.0.2.11" },
                AuditActions.AccountLockedOut, ResourceNames.Identity, user, AuditEntry.UnknownRole, ClientIp: "192.0.2.11", Details: new { LockedUntil = lockedUntil }),
            new(new MfaEnrolled { EventId = Guid.NewGuid(), OccurredAt = now, UserId = user },
                AuditActions.MfaEnrolled, ResourceNames.Identity, user, AuditEntry.UnknownRole),
            new(new SignInThrottled { EventId = Guid.NewGuid(), OccurredAt = now, UserId = user, Failures = 6, Until = lockedUntil, ClientIp = "192.0.2.12" },
                AuditActions.SignInThrottled, ResourceNames.Identity, user, AuditEntry.UnknownRole, ClientIp: "192.0.2.12", Details: new { Failures = 6, Until = lockedUntil }),
            new(new SignInStormDetected { EventId = Guid.NewGuid(), OccurredAt = now, ThrottledAccounts = 10, ThrottledAddresses = 1, Window = TimeSpan.FromMinutes(15) },
                AuditActions.SignInStormDetected, ResourceNames.Identity, AuditEntry.UnknownActor, AuditEntry.SystemRole,
                Details: new { ThrottledAccounts = 10, ThrottledAddresses = 1, Window = TimeSpan.FromMinutes(15) }),
            new(new EnrolmentCodeIssued { EventId = Guid.NewGuid(), OccurredAt = now, UserId = user, IssuedBy = "admin-7", ExpiresAt = lockedUntil, ReplacedEarlierCode = true },
                AuditActions.EnrolmentCodeIssued, ResourceNames.Identity, "admin-7", Roles.Admin, Details: new { Account = user, ExpiresAt = lockedUntil, ReplacedEarlierCode = true }),
            new(new EnrolmentCodeUsed { EventId = Guid.NewGuid(), OccurredAt = now, UserId = user, IssuedBy = "admin-7", ClientIp = "192.0.2.13" },
                AuditActions.EnrolmentCodeUsed, ResourceNames.Identity, user, AuditEntry.UnknownRole, ClientIp: "192.0.2.13", Details: new { IssuedBy = "admin-7" }),
            new(new EnrolmentCodeRefused { EventId = Guid.NewGuid(), OccurredAt = now, UserId = user, Reason = EnrolmentCodeRefusal.Expired, ClientIp = "192.0.2.14" },
                AuditActions.EnrolmentCodeRefused, ResourceNames.Identity, user, AuditEntry.UnknownRole, ClientIp: "192.0.2.14", Details: new { Reason = "Expired" }),
            new(new AuthenticatorReset { EventId = Guid.NewGuid(), OccurredAt = now, UserId = user, ResetBy = "admin-7" },
                AuditActions.AuthenticatorReset, ResourceNames.Identity, "admin-7", Roles.Admin, Details: new { Account = user }),
            // The gateway's session store publishes how sessions end.
            new(new SignedOut { EventId = Guid.NewGuid(), OccurredAt = now, UserId = user, SessionId = "s-9", Everywhere = true },
                AuditActions.SignedOut, ResourceNames.Gateway, user, AuditEntry.UnknownRole, Details: new { SessionId = "s-9", Everywhere = true }),
            new(new SessionRevoked { EventId = Guid.NewGuid(), OccurredAt = now, UserId = user, SessionId = "s-9", RevokedBy = "admin-7" },
                AuditActions.SessionRevoked, ResourceNames.Gateway, "admin-7", AuditEntry.UnknownRole, Details: new { SessionOwner = user, SessionId = "s-9" }),
            new(new SessionEnded { EventId = Guid.NewGuid(), OccurredAt = now, UserId = user, SessionId = "s-9", Reason = SessionEndReason.RefreshRefused },
                AuditActions.SessionEnded, ResourceNames.Gateway, user, AuditEntry.UnknownRole, Details: new { SessionId = "s-9", Reason = "RefreshRefused" }),
            new(new ServiceStarted { EventId = Guid.NewGuid(), OccurredAt = now, Service = ResourceNames.Stats, InstanceId = "host-1/42" },
                AuditActions.ServiceStarted, ResourceNames.Stats, "service:stats/host-1/42", AuditEntry.SystemRole),
        };

        await fixture.PublishAsync(expected.Select(e => (object)e.Event));

        // Read from the database: another test's second replica may be the one that records an event.
        var ids = expected.Select(e => e.Event.EventId).ToList();
        var records = await Eventually.Until(async () =>
        {
            await using var scope = fixture.Audit.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AuditDbContext>();
            return await db.Records.AsNoTracking().Where(r => ids.Contains(r.EventId)).ToDictionaryAsync(r => r.EventId);
        }, found => found.Count == ids.Count);
        Assert.All(expected, e => Assert.True(records.ContainsKey(e.Event.EventId), $"{e.Event.GetType().Name} was not recorded"));
        foreach (var e in expected)
        {
            var r = records[e.Event.EventId];
            var name = e.Event.GetType().Name;
            Assert.Equal(
                (name, e.Action, e.Source, e.Actor, e.Role, e.Patient, e.Conversation, e.ClientIp),
                (name, r.Action, r.SourceService, r.ActorId, r.ActorRole, r.PatientId, r.ConversationId, r.ClientIp));
            Assert.Equal((name, e.Details is null ? null : JsonSerializer.Serialize(e.Details, Json)), (name, r.Details));
            Assert.Equal(e.Event.OccurredAt, r.OccurredAt, TimeSpan.FromMilliseconds(1));
            if (e.Correlation is not null)
            {
                Assert.Equal(e.Correlation, r.CorrelationId);
            }
        }
    }

    [Fact]
    public void The_table_has_one_row_per_event_and_a_distinct_action_for_each()
    {
        Assert.Equal(AuditTable.Rows.Count, AuditTable.Rows.Select(r => r.EventType).Distinct().Count());
        Assert.Equal(AuditTable.Rows.Count, AuditTable.Rows.Select(r => r.Action).Distinct().Count());
    }

    [Fact]
    public async Task Every_recorded_event_is_read_from_the_queue_deployed_brokers_already_hold()
    {
        string[] queues =
        [
            "audit-account-locked-out", "audit-conversation-accessed", "audit-conversation-read", "audit-conversation-started",
            "audit-conversation-status-changed", "audit-message-sent", "audit-mfa-enrolled", "audit-patient-profile-accessed",
            "audit-service-started", "audit-session-revoked", "audit-sign-in-failed", "audit-sign-in-succeeded", "audit-signed-out",
            "audit-sign-in-throttled", "audit-sign-in-storm-detected", "audit-session-ended",
            "audit-enrolment-code-issued", "audit-enrolment-code-used", "audit-enrolment-code-refused", "audit-authenticator-reset",
            "audit-conversations-listed", "audit-patients-listed",
        ];

        var factory = new ConnectionFactory { Uri = new Uri(fixture.MessagingConnectionString) };
        await using var connection = await factory.CreateConnectionAsync();
        foreach (var queue in queues)
        {
            // A passive declaration fails, and closes its channel, when the queue does not exist.
            await using var channel = await connection.CreateChannelAsync();
            var declared = await channel.QueueDeclarePassiveAsync(queue);
            Assert.True(declared.ConsumerCount > 0, $"Nothing consumes {queue}.");
        }
    }

    private sealed record Expected(
        IIntegrationEvent Event, string Action, string Source, string Actor, string Role,
        string? Patient = null, Guid? Conversation = null, string? ClientIp = null, string? Correlation = null, object? Details = null);
}
