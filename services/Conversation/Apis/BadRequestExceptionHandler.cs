using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace CareMessaging.Conversation.Apis;

/// <summary>
/// Turns a request body that cannot be read (malformed JSON, a number where text belongs) into a
/// 400 ProblemDetails that names the field, instead of a bare 400 or a 500.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var field = (badRequest.InnerException as JsonException)?.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal)
            ? JsonNamingPolicy.CamelCase.ConvertName(path[2..])
            : null;
        var problem = new HttpValidationProblemDetails
        {
            Status = badRequest.StatusCode,
            Title = "The request could not be read.",
            Detail = field is null
                ? "Send a JSON object with the fields this endpoint expects."
                : $"The field '{field}' has a value of the wrong type.",
        };
        if (field is not null)
        {
            problem.Errors[field] = [$"The value of '{field}' has the wrong type."];
        }

        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }
}
