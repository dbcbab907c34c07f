namespace CareMessaging.Conversation.Paging;

/// <summary>The read-model export's cursor: the id of the last conversation exported; the next page starts after it.</summary>
public readonly record struct ExportCursor(Guid After) : IPageCursor<ExportCursor>
{
    public static string Expected => "the nextCursor of the previous page, or no cursor to start again";

    public string Encode() => After.ToString("N");

    public static bool TryParse(string text, out ExportCursor cursor)
    {
        var parsed = Guid.TryParseExact(text, "N", out var id);
        cursor = new ExportCursor(id);
        return parsed;
    }
}
