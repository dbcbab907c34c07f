using System.Buffers.Text;
using System.Text;

namespace CareMessaging.ServiceDefaults;

/// <summary>
/// The envelope of every keyset cursor the APIs hand out: a version tag and the key's parts,
/// joined and Base64Url-encoded, so a client treats it as opaque and a cursor of another list or an
/// older version is refused rather than misread. Each cursor type parses its own parts.
/// </summary>
public static class OpaqueCursor
{
    private const int MaxLength = 256;

    public static string Encode(string version, params string[] parts) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('|', [version, .. parts])));

    /// <summary>The parts of <paramref name="value"/> when it is a cursor of <paramref name="version"/> with <paramref name="count"/> parts.</summary>
    public static bool TryDecode(string value, string version, int count, out string[] parts)
    {
        parts = [];
        if (value.Length is 0 or > MaxLength)
        {
            return false;
        }

        try
        {
            var all = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value)).Split('|');
            if (all.Length != count + 1 || all[0] != version)
            {
                return false;
            }

            parts = all[1..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
