using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Conversations;
using CareMessaging.Conversation.Data;

namespace CareMessaging.Conversation.Outbox;

/// <summary>
/// Makes the header every Conversation event starts with (<see cref="ConversationEventHeader"/>), in
/// one place: a new time-ordered event id, the stored time, who acted in which role, and the
/// conversation's ids.
/// </summary>
public static class EventHeader
{
    public static ConversationEventHeader For(CareMessagingCaller actor, ConversationKeys conversation, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), now, actor.UserId, actor.Role, conversation.Id, conversation.PatientId, conversation.CareTeamId);

    public static ConversationEventHeader For(CareMessagingCaller actor, ConversationKeys conversation, TimeProvider clock) =>
        For(actor, conversation, clock.StoredUtcNow());
}
