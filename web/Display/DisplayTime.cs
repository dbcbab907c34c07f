using System.Globalization;

namespace CareMessaging.Web.Display;

/// <summary>
/// Times as the page shows them before (or without) its script, which turns every
/// <c>&lt;time datetime&gt;</c> into the reader's own time zone. The server does not know the
/// reader's zone, so it uses the hospital's (<c>Display:TimeZone</c>, an IANA id; UTC when unset)
/// and names it.
/// </summary>
public sealed class DisplayTime
{
    public const string SectionName = "Display";

    public DisplayTime(IConfiguration configuration)
    {
        var zone = configuration[$"{SectionName}:TimeZone"];
        try
        {
            Zone = string.IsNullOrWhiteSpace(zone) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(zone.Trim());
        }
        catch (TimeZoneNotFoundException)
        {
            throw new InvalidOperationException(
                $"{SectionName}:TimeZone '{zone}' is not a time zone this machine knows; use an IANA id such as Europe/London.");
        }

        ZoneLabel = Zone == TimeZoneInfo.Utc ? "UTC" : Zone.Id;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>How the zone is named after each time: "UTC", or the zone's id (e.g. Europe/London).</summary>
    public string ZoneLabel { get; }

    /// <summary>The machine-readable instant a script turns into the reader's own time zone.</summary>
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>"25 Nov 2026, 09:02 Europe/London": the time in the hospital's zone, said so.</summary>
    public string Text(DateTimeOffset time) =>
        TimeZoneInfo.ConvertTime(time, Zone).ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture) + " " + ZoneLabel;
}
