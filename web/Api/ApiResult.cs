using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CareMessaging.Web.Api;

/// <summary>A service's ProblemDetails answer: the status, a sentence for people and the invalid fields.</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public static ApiProblem Unavailable(string service) =>
        new(StatusCodes.Status503ServiceUnavailable, $"The {service} service is not answering.", "Try again in a moment.", Empty);

    internal static readonly IReadOnlyDictionary<string, string[]> Empty = new Dictionary<string, string[]>();
}

/// <summary>Either the value a service answered with or the problem it reported.</summary>
public readonly record struct ApiResult<T>(T? Value, ApiProblem? Problem)
{
    public bool Succeeded => Problem is null;

    public static implicit operator ApiResult<T>(ApiProblem problem) => new(default, problem);
}

/// <summary>JSON and ProblemDetails handling shared by the typed service clients.</summary>
internal static class ServiceResponses
{
    public static readonly JsonSerializerOptions Json = CreateJsonOptions();

    public static async Task<ApiResult<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            return await ReadProblemAsync(response, cancellationToken);
        }

        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
        {
            return new ApiResult<T>(default, null);
        }

        var value = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
        return new ApiResult<T>(value, null);
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
                        problem.Errors ?? ApiProblem.Empty);
                }
            }
        }
        catch (JsonException)
        {
            // A body that is not ProblemDetails still has a status worth reporting.
        }

        return new ApiProblem(status, response.ReasonPhrase ?? "Request failed", null, ApiProblem.Empty);
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        // Enums may come as names or numbers.
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }

    private sealed record ProblemBody(string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}
