using CareMessaging.Conversation.Messages;
using ConversationEntity = CareMessaging.Conversation.Conversations.Conversation;

namespace CareMessaging.Conversation.Encryption;

/// <summary>The encrypted fields of this service and the row each one is bound to.</summary>
public sealed class ProtectedFields(KeyRing keys)
{
    public const int PreviewLength = 140;

    public SealedValue SealBody(Guid messageId, string body) => keys.Seal(body, BodyContext(messageId));

    public string OpenBody(Message message) => keys.Open(message.BodyKeyId, message.Body, BodyContext(message.Id));

    /// <summary>Seals the start of <paramref name="body"/> as the conversation's last-message preview.</summary>
    public void SetPreview(ConversationEntity conversation, string body)
    {
        var sealedPreview = keys.Seal(Preview(body), PreviewContext(conversation.Id));
        conversation.LastMessagePreview = sealedPreview.Ciphertext;
        conversation.PreviewKeyId = sealedPreview.KeyId;
    }

    public string OpenPreview(Guid conversationId, string keyId, byte[] preview) =>
        preview.Length == 0 ? string.Empty : keys.Open(keyId, preview, PreviewContext(conversationId));

    /// <summary>The body on one line, cut at <see cref="PreviewLength"/> characters.</summary>
    public static string Preview(string body)
    {
        var oneLine = string.Join(' ', body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= PreviewLength ? oneLine : string.Concat(oneLine.AsSpan(0, PreviewLength - 1), "…");
    }

    private static byte[] BodyContext(Guid messageId) => [.. "message-body:"u8, .. messageId.ToByteArray()];

    private static byte[] PreviewContext(Guid conversationId) => [.. "conversation-preview:"u8, .. conversationId.ToByteArray()];
}
