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
/// Records every read of patient data as an access event for the audit trail, through the outbox,
/// with the request's trace id and the caller's address; each call commits its event. A page of
/// the list, of a search, of the directory or of the read-model export is one event naming what it
/// showed, never the search term (ADR 0018).
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
    // A service client's token names no role; the trail still says what kind of caller it was.
    private const string ServiceRole = "service";

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

    /// <summary>A page of conversations was shown: one event naming each conversation and patient on it.</summary>
    public async Task ConversationsShownAsync(
        CareMessagingCaller reader, ListingKind kind, IEnumerable<(Guid ConversationId, string PatientId)> shown, CancellationToken cancellationToken)
    {
        var rows = shown.ToList();
        var now = clock.StoredUtcNow();
        outbox.Enqueue(new ConversationsListed
        {
            EventId = Guid.CreateVersion7(now),
            OccurredAt = now,
            ActorId = reader.UserId,
            ActorRole = RoleOf(reader),
            Kind = kind,
            ConversationIds = [.. rows.Select(row => row.ConversationId)],
            PatientIds = [.. rows.Select(row => row.PatientId).Distinct(StringComparer.Ordinal)],
            CorrelationId = CorrelationId(),
            ClientIp = ClientAddress.Of(http.HttpContext),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A page of the patient directory was shown: one event naming each patient on it.</summary>
    public async Task PatientsShownAsync(CareMessagingCaller reader, IEnumerable<string> patientIds, bool searched, CancellationToken cancellationToken)
    {
        var now = clock.StoredUtcNow();
        outbox.Enqueue(new PatientsListed
        {
            EventId = Guid.CreateVersion7(now),
            OccurredAt = now,
            ActorId = reader.UserId,
            ActorRole = RoleOf(reader),
            PatientIds = [.. patientIds],
            Searched = searched,
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

    private static string RoleOf(CareMessagingCaller caller) => caller.Role is { Length: > 0 } role ? role : ServiceRole;

    private string? CorrelationId() => Activity.Current?.TraceId.ToString() ?? http.HttpContext?.TraceIdentifier;
}
