using System.Diagnostics;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Outbox;
using CareMessaging.Conversation.Patients;
using ConversationEntity = CareMessaging.Conversation.Conversations.Conversation;

namespace CareMessaging.Conversation.Access;

/// <summary>
/// Records each view of a thread or a patient profile as an access event for the audit trail,
/// through the outbox, with the request's trace id and the caller's address.
/// </summary>
public sealed class AccessEvents(OutboxWriter outbox, IHttpContextAccessor http, TimeProvider clock)
{
    public void ConversationViewed(Viewer viewer, ConversationEntity conversation) =>
        outbox.Enqueue(new ConversationAccessed
        {
            EventId = Guid.CreateVersion7(),
            OccurredAt = clock.GetUtcNow(),
            ActorId = viewer.UserId,
            ActorRole = viewer.Role,
            ConversationId = conversation.Id,
            PatientId = conversation.PatientId,
            CareTeamId = conversation.CareTeamId,
            CorrelationId = CorrelationId(),
            ClientIp = ClientIp(),
        });

    public void PatientProfileViewed(Viewer viewer, Patient patient) =>
        outbox.Enqueue(new PatientProfileAccessed
        {
            EventId = Guid.CreateVersion7(),
            OccurredAt = clock.GetUtcNow(),
            ActorId = viewer.UserId,
            ActorRole = viewer.Role,
            PatientId = patient.PatientId,
            CareTeamId = patient.CareTeamId,
            CorrelationId = CorrelationId(),
            ClientIp = ClientIp(),
        });

    private string? CorrelationId() => Activity.Current?.TraceId.ToString() ?? http.HttpContext?.TraceIdentifier;

    /// <summary>The first address in X-Forwarded-For (set by the gateway), else the connection's peer.</summary>
    private string? ClientIp()
    {
        var context = http.HttpContext;
        if (context is null)
        {
            return null;
        }

        var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
        if (forwarded.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is [var first, ..]
            && System.Net.IPAddress.TryParse(first, out var address))
        {
            return address.ToString();
        }

        return context.Connection.RemoteIpAddress?.ToString();
    }
}
