namespace CareMessaging.Conversation.Paging;

/// <summary>
/// A keyset position in a list, as a query string carries it. Each kind of key parses itself;
/// <c>RequestValidation.Cursor</c> turns a value that does not parse into the same 400 for every
/// kind, naming the field and saying what to send instead.
/// </summary>
public interface IPageCursor<TSelf> where TSelf : struct, IPageCursor<TSelf>
{
    /// <summary>What to send instead of a value that is not a cursor of this kind, as the end of "Use …".</summary>
    static abstract string Expected { get; }

    static abstract bool TryParse(string text, out TSelf cursor);
}
