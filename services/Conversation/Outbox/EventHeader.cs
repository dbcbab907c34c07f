using CareMessaging.Contracts;
using CareMessaging.Conversation.Conversations;
using CareMessaging.Conversation.Data;

namespace CareMessaging.Conversation.Outbox;

/// <summary>
/// The fields every Conversation event starts with, made in one place: a new time-ordered event id,
/// the time, who acted in which role, and the conversation's ids. The events themselves keep
/// their <c>required</c> members, so each one still names every field it carries.
/// </summary>
public readonly record struct EventHeader(
    Guid EventId, DateTimeOffset OccurredAt, string ActorId, string ActorRole, Guid ConversationId, string PatientId, string CareTeamId)
{
    public static EventHeader For(CareMessagingCaller actor, ConversationKeys conversation, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), now, actor.UserId, actor.Role, conversation.Id, conversation.PatientId, conversation.CareTeamId);

    public static EventHeader For(CareMessagingCaller actor, ConversationKeys conversation, TimeProvider clock) =>
        For(actor, conversation, clock.StoredUtcNow());
}
