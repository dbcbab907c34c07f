using System.Globalization;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Paging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CareMessaging.Conversation.Apis;

/// <summary>Collects what is wrong with a request, field by field, for one 400 ProblemDetails.</summary>
internal sealed class RequestValidation
{
    private readonly Dictionary<string, string[]> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public void Add(string field, string message) =>
        _errors[field] = _errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    /// <summary>The 400 naming every field found wrong.</summary>
    public ValidationProblem Problem() => TypedResults.ValidationProblem(_errors);

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

    /// <summary>A keyset cursor of the kind <typeparamref name="TCursor"/>, null when absent.</summary>
    public TCursor? Cursor<TCursor>(string? value, string field) where TCursor : struct, IPageCursor<TCursor>
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (TCursor.TryParse(value, out var cursor))
        {
            return cursor;
        }

        Add(field, $"This is not a position this API gave out. Use {TCursor.Expected}.");
        return null;
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

    /// <summary>A search term (conversations or the patient directory), null when absent.</summary>
    public string? Search(string? value, string field = "q")
    {
        if (value?.Trim() is { Length: > ConversationLimits.SearchMaxLength })
        {
            Add(field, $"A search can be at most {ConversationLimits.SearchMaxLength} characters.");
        }

        return value;
    }

    /// <summary>A message body, kept exactly as sent (no trimming).</summary>
    public string MessageBody(string? value, string field = "body")
    {
        if (value is not null && value.Length > ConversationLimits.BodyMaxLength)
        {
            Add(field, $"A message can be at most {ConversationLimits.BodyMaxLength} characters; this one has {value.Length}. Split it into several messages.");
            return value;
        }

        return Text(value, field, "The message", 1, ConversationLimits.BodyMaxLength, trim: false);
    }

    /// <summary>The sender's idempotency key for a message.</summary>
    public string ClientMessageId(string? value, string field = "clientMessageId") =>
        Text(value, field, "A client message id (a new random id per message, repeated only on retries)",
            1, ConversationLimits.ClientMessageIdMaxLength, trim: true);

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
