using System.Globalization;
using CareMessaging.ServiceDefaults;

namespace CareMessaging.Audit.Apis;

/// <summary>
/// The opaque keyset cursor of the trail's search: the id of the last record shown. Ids follow the
/// chain, so the next page holds records strictly older than it, and records appended meanwhile
/// never shift a page or show a record twice.
/// </summary>
public readonly record struct AuditCursor(long BeforeId)
{
    private const string Version = "a1";

    public string Encode() => OpaqueCursor.Encode(Version, BeforeId.ToString(CultureInfo.InvariantCulture));

    public static bool TryDecode(string value, out AuditCursor cursor)
    {
        cursor = default;
        if (!OpaqueCursor.TryDecode(value, Version, 1, out var parts)
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            return false;
        }

        cursor = new AuditCursor(id);
        return true;
    }
}
