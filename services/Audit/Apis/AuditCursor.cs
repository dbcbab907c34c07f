using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace CareMessaging.Audit.Apis;

/// <summary>
/// The opaque keyset cursor of the trail's search: the id of the last record shown. Ids follow the
/// chain, so the next page holds records strictly older than it, and records appended meanwhile
/// never shift a page or show a record twice.
/// </summary>
public readonly record struct AuditCursor(long BeforeId)
{
    private const string Version = "a1";

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Version}|{BeforeId}")));

    public static bool TryDecode(string value, out AuditCursor cursor)
    {
        cursor = default;
        if (value.Length > 64)
        {
            return false;
        }

        try
        {
            if (Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value)).Split('|') is [Version, var idText]
                && long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                cursor = new AuditCursor(id);
                return true;
            }

            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
