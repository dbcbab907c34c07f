using System.Globalization;

namespace CareMessaging.Audit.Apis;

/// <summary>
/// The query string of the trail's search and export endpoints, read as text and validated here
/// so that a bad value is answered with a ProblemDetails naming the parameter.
/// </summary>
public sealed record AuditQuery(string? PatientId, string? UserId, string? Action, string? From, string? To, string? Cursor, string? Limit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public sealed record Valid(string? PatientId, string? UserId, string? Action, DateTimeOffset? From, DateTimeOffset? To, AuditCursor? Cursor, int Limit);

    public Valid? Validate(out Dictionary<string, string[]> errors, bool requireRange = false)
    {
        errors = [];
        var from = ParseTime(From, "from", errors, requireRange);
        var to = ParseTime(To, "to", errors, requireRange);
        if (from is not null && to is not null && from > to)
        {
            errors["to"] = ["'to' must not be before 'from'."];
        }

        AuditCursor? cursor = null;
        if (!string.IsNullOrEmpty(Cursor))
        {
            if (AuditCursor.TryDecode(Cursor, out var decoded))
            {
                cursor = decoded;
            }
            else
            {
                errors["cursor"] = ["The cursor is not one this API returned. Start again without a cursor."];
            }
        }

        var limit = ParseInt(Limit, "limit", DefaultLimit, 1, MaxLimit, errors);
        return errors.Count == 0
            ? new Valid(Blank(PatientId), Blank(UserId), Blank(Action), from, to, cursor, limit)
            : null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateTimeOffset? ParseTime(string? value, string field, Dictionary<string, string[]> errors, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors[field] = [$"'{field}' is required: give a date or time, for example 2026-01-31 or 2026-01-31T08:00:00Z."];
            }

            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed.ToUniversalTime();
        }

        errors[field] = [$"'{field}' is not a date or time; use ISO 8601, for example 2026-01-31T08:00:00Z."];
        return null;
    }

    private static int ParseInt(string? value, string field, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max)
        {
            return parsed;
        }

        errors[field] = [$"'{field}' must be a whole number from {min} to {max}."];
        return fallback;
    }
}
