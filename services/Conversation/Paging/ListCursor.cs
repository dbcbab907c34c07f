using System.Buffers.Text;
using System.Globalization;
using System.Text;

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
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{Version}|{LastActivityAt.UtcTicks}|{Id:N}")));

    public static bool TryParse(string text, out ListCursor cursor)
    {
        cursor = default;
        if (text.Length > 200)
        {
            return false;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('|');
            if (parts is not [Version, var ticksText, var idText]
                || !long.TryParse(ticksText, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks
                || !Guid.TryParseExact(idText, "N", out var id))
            {
                return false;
            }

            cursor = new ListCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
