using System.Globalization;

namespace CareMessaging.Conversation.Paging;

/// <summary>
/// A position in a conversation's messages, the sequence number of a message: <c>before</c> pages
/// back through history, <c>after</c> fetches what is new. Sequences start at 1 and have no gaps.
/// </summary>
public readonly record struct MessageCursor(long Sequence) : IPageCursor<MessageCursor>
{
    public static string Expected =>
        "the sequence number of a message: nextBefore of the previous page for before, the last message shown for after";

    public static bool TryParse(string text, out MessageCursor cursor)
    {
        var parsed = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence > 0;
        cursor = new MessageCursor(parsed ? sequence : 0);
        return parsed;
    }
}
