namespace CareMessaging.Conversation.ReadState;

/// <summary>
/// How far one reader has read one conversation: every message up to this sequence number is
/// read. It only moves forward. Unread for the reader = later messages not sent by them.
/// </summary>
public sealed class ReadHorizon
{
    public required Guid ConversationId { get; init; }

    public required string ReaderId { get; init; }

    public required long ReadUpToSequence { get; set; }

    public required DateTimeOffset UpdatedAt { get; set; }
}
