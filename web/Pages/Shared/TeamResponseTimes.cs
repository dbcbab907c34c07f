using System.Globalization;
using CareMessaging.Contracts.Stats;

namespace CareMessaging.Web.Pages.Shared;

/// <summary>
/// How the inbox says a care team's response times (<see cref="TeamResponsiveness"/> from the
/// Stats service): durations in words a clinician reads at a glance, the team by its name.
/// </summary>
public static class TeamResponseTimes
{
    /// <summary>"cardiology" → "Cardiology", "primary-care" → "Primary care".</summary>
    public static string TeamName(string careTeamId) =>
        careTeamId.Length == 0
            ? careTeamId
            : string.Concat(char.ToUpperInvariant(careTeamId[0]).ToString(), careTeamId[1..].Replace('-', ' ').Replace('_', ' '));

    /// <summary>"under 1 min", "14 min", "3 h 5 min", "2 d 4 h"; a dash when no conversation has been answered yet.</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not { } value)
        {
            return "—";
        }

        var time = TimeSpan.FromSeconds(Math.Max(0, value));
        return time switch
        {
            { TotalMinutes: < 1 } => "under 1 min",
            { TotalHours: < 1 } => Format("{0} min", (int)time.TotalMinutes),
            { TotalDays: < 1 } => time.Minutes == 0 ? Format("{0} h", (int)time.TotalHours) : Format("{0} h {1} min", (int)time.TotalHours, time.Minutes),
            _ => time.Hours == 0 ? Format("{0} d", (int)time.TotalDays) : Format("{0} d {1} h", (int)time.TotalDays, time.Hours),
        };
    }

    private static string Format(string format, params object[] values) => string.Format(CultureInfo.InvariantCulture, format, values);
}
