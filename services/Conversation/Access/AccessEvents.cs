using System.Diagnostics;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Conversations;
using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Outbox;
using CareMessaging.Conversation.Patients;
using CareMessaging.ServiceDefaults;

namespace CareMessaging.Conversation.Access;

/// <summary>
/// Records each view of a thread or a patient profile as an access event for the audit trail,
/// through the outbox, with the request's trace id and the caller's address; each call commits its event.
/// </summary>
public sealed class AccessEvents(ConversationDbContext db, OutboxWriter outbox, IHttpContextAccessor http, TimeProvider clock)
{
    public async Task ConversationViewedAsync(CareMessagingCaller reader, ConversationKeys conversation, CancellationToken cancellationToken)
    {
        var header = EventHeader.For(reader, conversation, clock);
        outbox.Enqueue(new ConversationAccessed
        {
            EventId = header.EventId,
            OccurredAt = header.OccurredAt,
            ActorId = header.ActorId,
            ActorRole = header.ActorRole,
            ConversationId = header.ConversationId,
            PatientId = header.PatientId,
            CareTeamId = header.CareTeamId,
            CorrelationId = CorrelationId(),
            ClientIp = ClientAddress.Of(http.HttpContext),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task PatientProfileViewedAsync(CareMessagingCaller viewer, Patient patient, CancellationToken cancellationToken)
    {
        // A profile belongs to no conversation; the header's conversation id stays empty and unused.
        var header = EventHeader.For(viewer, new ConversationKeys(Guid.Empty, patient.PatientId, patient.CareTeamId), clock);
        outbox.Enqueue(new PatientProfileAccessed
        {
            EventId = header.EventId,
            OccurredAt = header.OccurredAt,
            ActorId = header.ActorId,
            ActorRole = header.ActorRole,
            PatientId = header.PatientId,
            CareTeamId = header.CareTeamId,
            CorrelationId = CorrelationId(),
            ClientIp = ClientAddress.Of(http.HttpContext),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    private string? CorrelationId() => Activity.Current?.TraceId.ToString() ?? http.HttpContext?.TraceIdentifier;
}
