using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CareMessaging.Clients;

/// <summary>A service's ProblemDetails answer: the status, a sentence for people and the invalid fields.</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public static ApiProblem Unavailable(string service) =>
        new((int)HttpStatusCode.ServiceUnavailable, $"The {service} service is not answering.", "Try again in a moment.", NoErrors);

    public static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    /// <summary>The messages for <paramref name="field"/> (the API's JSON name), or none.</summary>
    public IReadOnlyList<string> ErrorsFor(string field) =>
        Errors.FirstOrDefault(entry => string.Equals(entry.Key, field, StringComparison.OrdinalIgnoreCase)).Value ?? [];
}

/// <summary>Either the value a service answered with or the problem it reported.</summary>
public readonly record struct ApiResult<T>(T? Value, ApiProblem? Problem)
{
    public bool Succeeded => Problem is null;

    public static implicit operator ApiResult<T>(ApiProblem problem) => new(default, problem);

    public static ApiResult<T> Success(T value) => new(value, null);
}

/// <summary>Reads a service's answer: the value on success, its ProblemDetails otherwise.</summary>
public static class ServiceResponses
{
    /// <summary>The services' JSON: web defaults; enums travel as names (Contracts says so on each enum).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<ApiResult<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            return await ReadProblemAsync(response, cancellationToken);
        }

        var value = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new InvalidOperationException($"{response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode} without a body.");
        return ApiResult<T>.Success(value);
    }

    public static async Task<ApiProblem> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
            {
                var problem = await response.Content.ReadFromJsonAsync<ProblemBody>(Json, cancellationToken);
                if (problem is not null)
                {
                    return new ApiProblem(status, problem.Title ?? response.ReasonPhrase ?? "Request failed", problem.Detail,
                        problem.Errors ?? ApiProblem.NoErrors);
                }
            }
        }
        catch (JsonException)
        {
            // A body that is not ProblemDetails still has a status worth reporting.
        }

        return new ApiProblem(status, response.ReasonPhrase ?? "Request failed", null, ApiProblem.NoErrors);
    }

    private sealed record ProblemBody(string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}

/// <summary>Builds a query string from the values that are set, escaped.</summary>
internal static class Query
{
    public static string Of(params (string Name, string? Value)[] pairs)
    {
        var set = pairs.Where(pair => !string.IsNullOrEmpty(pair.Value))
            .Select(pair => $"{Uri.EscapeDataString(pair.Name)}={Uri.EscapeDataString(pair.Value!)}")
            .ToList();
        return set.Count == 0 ? string.Empty : "?" + string.Join('&', set);
    }

    public static string? Number(long? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
