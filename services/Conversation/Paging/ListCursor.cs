using System.Globalization;
using CareMessaging.ServiceDefaults;

namespace CareMessaging.Conversation.Paging;

/// <summary>
/// The opaque keyset cursor of the conversation list: the last activity and id of the last row
/// shown. The next page starts strictly after it, so rows inserted or moved meanwhile never shift
/// a page, and nothing is shown twice.
/// </summary>
public readonly record struct ListCursor(DateTimeOffset LastActivityAt, Guid Id) : IPageCursor<ListCursor>
{
    private const string Version = "c1";

    public static string Expected => "the nextCursor of the previous page, or no cursor to start again";

    public string Encode() =>
        OpaqueCursor.Encode(Version, LastActivityAt.UtcTicks.ToString(CultureInfo.InvariantCulture), Id.ToString("N"));

    public static bool TryParse(string text, out ListCursor cursor)
    {
        cursor = default;
        if (!OpaqueCursor.TryDecode(text, Version, 2, out var parts)
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !Guid.TryParseExact(parts[1], "N", out var id))
        {
            return false;
        }

        cursor = new ListCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}
