using CareMessaging.Clients;
using CareMessaging.Contracts.Conversations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Web.Pages.Shared;

/// <summary>
/// Sends a reply as typed, for the composer's script and for pages without one alike. A reply that
/// fails comes back with a sentence for the writer, and the page shows it beside the text, which is
/// kept; a retry keeps the message's client id, so a reply that did arrive is not stored twice.
/// </summary>
public sealed class Replies(ConversationsClient conversations)
{
    public const string EmptyMessage = "Write a message before sending.";

    public async Task<ReplyOutcome> SendAsync(Guid conversationId, string? body, Guid clientMessageId, CancellationToken cancellationToken)
    {
        body = MessageText.AsStored(body);
        if (string.IsNullOrWhiteSpace(body))
        {
            return ReplyOutcome.Refused(new ApiProblem(StatusCodes.Status400BadRequest, EmptyMessage, null, ApiProblem.NoErrors));
        }

        if (body.Length > ConversationLimits.BodyMaxLength)
        {
            return ReplyOutcome.Refused(new ApiProblem(StatusCodes.Status400BadRequest, MessageText.TooLong(body.Length), null, ApiProblem.NoErrors));
        }

        var id = clientMessageId == Guid.Empty ? Guid.NewGuid() : clientMessageId;
        var sent = await conversations.SendAsync(conversationId, new SendMessageRequest(body, id.ToString()), cancellationToken);
        return sent.Succeeded ? new ReplyOutcome(sent.Value, null) : ReplyOutcome.Refused(sent.Problem!);
    }

    /// <summary>
    /// A reply posted without a script from the page the conversation is open in: back to the
    /// conversation once sent; otherwise the page again (<paramref name="load"/>), with the text kept
    /// and the reason beside it.
    /// </summary>
    public async Task<IActionResult> SendFromPageAsync<TPage>(
        TPage page, Guid conversationId, string? body, Guid clientMessageId, Func<Task<IActionResult>> load, CancellationToken cancellationToken)
        where TPage : PageModel, IThreadPage
    {
        var reply = await SendAsync(conversationId, body, clientMessageId, cancellationToken);
        if (reply.Succeeded)
        {
            return page.LocalRedirect($"{page.HomePath}/{conversationId}");
        }

        if (reply.EndsThePage)
        {
            return page.FromProblem(reply.Problem!);
        }

        var result = await load();
        if (page.Thread is null || result is not PageResult shown)
        {
            return result;
        }

        page.Thread = page.Thread with { Draft = body, DraftError = reply.Error, ClientMessageId = clientMessageId };
        shown.StatusCode = reply.Problem!.Status >= 500 ? StatusCodes.Status503ServiceUnavailable : reply.Problem.Status;
        return shown;
    }
}

/// <summary>A page that shows one open conversation beside the list (the inbox, the portal).</summary>
public interface IThreadPage
{
    string HomePath { get; }

    ThreadView? Thread { get; set; }
}

/// <summary>The reply as stored, or the problem with a sentence for the writer.</summary>
public sealed record ReplyOutcome(MessageView? Message, ApiProblem? Problem)
{
    public bool Succeeded => Problem is null;

    /// <summary>Not found, forbidden or signed out: the page answers that, not a message beside the composer.</summary>
    public bool EndsThePage => Problem?.Status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound;

    public string? Error => Problem is null
        ? null
        : Problem.Errors.Values.SelectMany(messages => messages).FirstOrDefault()
            ?? (Problem.Status >= 500 ? "The message was not sent: the service is not answering. Your text is still here; try again." : Problem.Detail ?? Problem.Title);

    public static ReplyOutcome Refused(ApiProblem problem) => new(null, problem);
}
