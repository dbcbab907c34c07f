using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Encryption;
using CareMessaging.Conversation.Outbox;
using CareMessaging.Conversation.Patients;
using Microsoft.EntityFrameworkCore;
using ConversationEntity = CareMessaging.Conversation.Conversations.Conversation;

namespace CareMessaging.Conversation.Messages;

/// <summary>
/// Appends a message to a conversation whose row the caller has locked: the next sequence
/// number, the encrypted body, the conversation's counters and preview, and the
/// <see cref="MessageSent"/> event, all in the caller's transaction.
/// </summary>
public sealed class MessageWriter(ConversationDbContext db, ProtectedFields fields, OutboxWriter outbox, TimeProvider clock)
{
    public async Task<Message> AppendAsync(ConversationEntity conversation, Patient patient, CareMessagingCaller sender, string body, string clientMessageId, CancellationToken cancellationToken)
    {
        var header = EventHeader.For(sender, conversation.Keys, clock);
        var messageId = Guid.CreateVersion7(header.OccurredAt);
        var sealedBody = fields.SealBody(messageId, body);
        var message = new Message
        {
            Id = messageId,
            ConversationId = conversation.Id,
            Sequence = conversation.MessageCount + 1,
            SenderId = sender.UserId,
            SenderKind = sender.SenderKind,
            SenderName = await SenderNameAsync(sender, patient, cancellationToken),
            Body = sealedBody.Ciphertext,
            BodyKeyId = sealedBody.KeyId,
            SentAt = header.OccurredAt,
            ClientMessageId = clientMessageId,
        };
        db.Messages.Add(message);

        conversation.MessageCount = message.Sequence;
        conversation.LastActivityAt = message.SentAt;
        conversation.LastSenderId = sender.UserId;
        conversation.LastSenderKind = sender.SenderKind;
        fields.SetPreview(conversation, body);

        outbox.Enqueue(new MessageSent(header)
        {
            SenderKind = sender.SenderKind,
            MessageId = message.Id,
            Sequence = message.Sequence,
            MessageCount = conversation.MessageCount,
            Audience = await Audiences.ForAsync(db, conversation.CareTeamId, patient.PortalUserId, cancellationToken),
        });
        return message;
    }

    /// <summary>The message a sender already sent with this idempotency key, if any.</summary>
    public Task<Message?> FindBySenderKeyAsync(string senderId, string clientMessageId, CancellationToken cancellationToken) =>
        db.Messages.AsNoTracking().SingleOrDefaultAsync(m => m.SenderId == senderId && m.ClientMessageId == clientMessageId, cancellationToken);

    public MessageView View(Message message, string viewerId) => new()
    {
        Id = message.Id,
        ConversationId = message.ConversationId,
        Sequence = message.Sequence,
        SenderId = message.SenderId,
        SenderName = message.SenderName,
        SenderKind = message.SenderKind,
        Body = fields.OpenBody(message),
        SentAt = message.SentAt,
        FromMe = message.SenderId == viewerId,
    };

    private async Task<string> SenderNameAsync(CareMessagingCaller sender, Patient patient, CancellationToken cancellationToken)
    {
        if (sender.IsPatient)
        {
            return patient.FullName;
        }

        var directoryName = await db.StaffMembers.Where(s => s.UserId == sender.UserId).Select(s => s.DisplayName).SingleOrDefaultAsync(cancellationToken);
        return directoryName ?? (sender.Name is { Length: > 0 } name ? name : "Care team member");
    }
}
