using CareMessaging.Conversation.Conversations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CareMessaging.Conversation.Apis;

/// <summary>The one mapping from what a command did (<see cref="Outcome{T}"/>) to the ProblemDetails the API answers.</summary>
internal static class OutcomeResults
{
    /// <summary>
    /// The response for an outcome that is not <see cref="Outcome{T}.Done"/>. An invalid field is
    /// a validation problem naming the field, like every other 400 of this API.
    /// </summary>
    public static ProblemHttpResult Problem<T>(Outcome<T> outcome) => outcome switch
    {
        Outcome<T>.NotFound notFound => NotFound(notFound.Detail),
        Outcome<T>.Conflict conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: conflict.Detail),
        Outcome<T>.Forbidden forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: forbidden.Detail),
        Outcome<T>.Invalid invalid => TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [invalid.Field] = [invalid.Message] })
        {
            Status = StatusCodes.Status400BadRequest,
        }),
        _ => throw new InvalidOperationException($"{outcome.GetType().Name} is not a problem."),
    };

    /// <summary>The 404 for a conversation the caller cannot see or that does not exist: the same body for both.</summary>
    public static ProblemHttpResult ConversationNotFound() => NotFound(ConversationCommands.NoSuchConversation);

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);
}
