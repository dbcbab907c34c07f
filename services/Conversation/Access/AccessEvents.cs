using System.Diagnostics;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Conversations;
using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Outbox;
using CareMessaging.Conversation.Patients;
using CareMessaging.ServiceDefaults;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CareMessaging.Conversation.Access;

/// <summary>
/// Records views of threads and patient profiles as access events for the audit trail, through
/// the outbox, with the request's trace id and the caller's address; each call commits its event.
/// Opening a thread is always a view; fetching its messages is one only when this reader has no
/// view of it recorded within <see cref="AccessOptions.ViewWindow"/> (ADR 0016), so a live page
/// asking for new messages does not flood the trail, and no client reads a thread unrecorded.
/// </summary>
public sealed class AccessEvents(
    ConversationDbContext db,
    OutboxWriter outbox,
    IMemoryCache recentViews,
    IOptions<AccessOptions> options,
    IHttpContextAccessor http,
    TimeProvider clock)
{
    /// <summary>A person opened the thread: a view, and the start of a new window.</summary>
    public Task ThreadOpenedAsync(CareMessagingCaller reader, ConversationKeys conversation, CancellationToken cancellationToken) =>
        RecordViewAsync(reader, conversation, cancellationToken);

    /// <summary>A page of the thread's messages was read: a view unless one was recorded within the window.</summary>
    public Task MessagesReadAsync(CareMessagingCaller reader, ConversationKeys conversation, CancellationToken cancellationToken) =>
        recentViews.TryGetValue(WindowKey(reader, conversation), out DateTimeOffset recordedAt)
            && clock.StoredUtcNow() - recordedAt < options.Value.ViewWindow
            ? Task.CompletedTask
            : RecordViewAsync(reader, conversation, cancellationToken);

    public async Task PatientProfileViewedAsync(CareMessagingCaller viewer, Patient patient, CancellationToken cancellationToken)
    {
        var now = clock.StoredUtcNow();
        outbox.Enqueue(new PatientProfileAccessed
        {
            EventId = Guid.CreateVersion7(now),
            OccurredAt = now,
            ActorId = viewer.UserId,
            ActorRole = viewer.Role,
            PatientId = patient.PatientId,
            CareTeamId = patient.CareTeamId,
            CorrelationId = CorrelationId(),
            ClientIp = ClientAddress.Of(http.HttpContext),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task RecordViewAsync(CareMessagingCaller reader, ConversationKeys conversation, CancellationToken cancellationToken)
    {
        var header = EventHeader.For(reader, conversation, clock);
        outbox.Enqueue(new ConversationAccessed(header)
        {
            CorrelationId = CorrelationId(),
            ClientIp = ClientAddress.Of(http.HttpContext),
        });
        await db.SaveChangesAsync(cancellationToken);
        if (options.Value.ViewWindow > TimeSpan.Zero)
        {
            recentViews.Set(WindowKey(reader, conversation), header.OccurredAt, options.Value.ViewWindow);
        }
    }

    private static (string, string, Guid) WindowKey(CareMessagingCaller reader, ConversationKeys conversation) =>
        (nameof(AccessEvents), reader.UserId, conversation.Id);

    private string? CorrelationId() => Activity.Current?.TraceId.ToString() ?? http.HttpContext?.TraceIdentifier;
}
