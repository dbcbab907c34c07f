using System.Net;
using CareMessaging.Clients;

namespace CareMessaging.Testing;

/// <summary>What tests do with a <see cref="ApiResult{T}"/> from the service clients.</summary>
public static class ApiResults
{
    /// <summary>The value the service answered with; otherwise an <see cref="HttpRequestException"/> naming its status and problem.</summary>
    public static async Task<T> OrThrowAsync<T>(this Task<ApiResult<T>> call)
    {
        var result = await call;
        return result.Problem is { } problem
            ? throw new HttpRequestException(
                $"The service answered {problem.Status}: {problem.Title} {problem.Detail} {string.Join("; ", problem.Errors.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}"))}",
                inner: null,
                (HttpStatusCode)problem.Status)
            : result.Value!;
    }
}
