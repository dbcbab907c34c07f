using System.Globalization;

namespace CareMessaging.Conversation.Apis;

/// <summary>Collects what is wrong with a request, field by field, for one 400 ProblemDetails.</summary>
internal sealed class RequestValidation
{
    private readonly Dictionary<string, string[]> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public IDictionary<string, string[]> Errors => _errors;

    public void Add(string field, string message) =>
        _errors[field] = _errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    /// <summary>A positive page size, <paramref name="fallback"/> when absent.</summary>
    public int Limit(string? value, int fallback, int max, string field = "limit")
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > max)
        {
            Add(field, $"The limit must be a whole number from 1 to {max}.");
            return fallback;
        }

        return limit;
    }

    /// <summary>One of the enum's names (case-insensitive), <paramref name="fallback"/> when absent.</summary>
    public TEnum? Choice<TEnum>(string? value, string field, TEnum? fallback = null) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _))
        {
            return parsed;
        }

        Add(field, $"Use one of: {string.Join(", ", Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))}.");
        return fallback;
    }

    /// <summary>A required text field, trimmed when <paramref name="trim"/>, between the lengths given.</summary>
    public string Text(string? value, string field, string label, int min, int max, bool trim)
    {
        var text = trim ? value?.Trim() : value;
        if (string.IsNullOrWhiteSpace(text))
        {
            Add(field, $"{label} is required.");
            return string.Empty;
        }

        if (text.Length < min)
        {
            Add(field, $"{label} must be at least {min} characters.");
        }
        else if (text.Length > max)
        {
            Add(field, $"{label} can be at most {max} characters; this one has {text.Length}.");
        }

        return text;
    }
}
