using System.ComponentModel.DataAnnotations;
using CareMessaging.Web.Api;
using CareMessaging.Web.Authentication;
using CareMessaging.Web.Pages.Shared;
using CareMessaging.Web.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Web.Pages.Conversations;

/// <summary>
/// One conversation's commands and the pieces a script fetches: newer or earlier messages,
/// a reply, moving the read horizon, and the workflow moves. A plain link opens the
/// conversation where the reader works (the inbox or the portal).
/// </summary>
public sealed class ThreadModel(ConversationsClient conversations) : PageModel
{
    public const int MaxBodyLength = 5000;
    private const int MessagePageSize = 50;

    [BindProperty]
    [Required(ErrorMessage = "Write a message before sending.")]
    [StringLength(MaxBodyLength, ErrorMessage = "A message can be at most 5000 characters.")]
    public string? Body { get; set; }

    [BindProperty]
    public Guid ClientMessageId { get; set; }

    public IActionResult OnGet(Guid id) =>
        SignedInUser.From(User) is { IsStaff: true } or { IsPatient: true }
            ? LocalRedirect($"{SignedInUser.From(User)!.HomePath}/{id}")
            : NotFound();

    /// <summary>Messages after <paramref name="after"/> (new arrivals) or before <paramref name="before"/> (history).</summary>
    public async Task<IActionResult> OnGetMessagesAsync(Guid id, long? after, long? before, CancellationToken cancellationToken)
    {
        var page = await conversations.MessagesAsync(id, before, MessagePageSize, cancellationToken);
        if (!page.Succeeded)
        {
            return this.FromProblem(page.Problem!);
        }

        IReadOnlyList<MessageItem> items = after is { } sequence
            ? page.Value!.Items.Where(message => message.Sequence > sequence).ToList()
            : page.Value!.Items;
        if (before is not null && page.Value.NextBefore is { } earlier)
        {
            Response.Headers["X-Earlier-Before"] = earlier.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Partial("_Messages", items);
    }

    public async Task<IActionResult> OnPostSendAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return SendFailed(StatusCodes.Status400BadRequest, ModelState[nameof(Body)]?.Errors.FirstOrDefault()?.ErrorMessage);
        }

        var clientMessageId = ClientMessageId == Guid.Empty ? Guid.NewGuid() : ClientMessageId;
        var sent = await conversations.SendAsync(id, new SendMessageRequest(Body!, clientMessageId), cancellationToken);
        if (!sent.Succeeded)
        {
            var problem = sent.Problem!;
            if (problem.Status is StatusCodes.Status401Unauthorized or StatusCodes.Status404NotFound || !Request.IsFetch())
            {
                return this.FromProblem(problem);
            }

            var message = problem.Errors.Values.SelectMany(messages => messages).FirstOrDefault() ?? problem.Detail ?? problem.Title;
            return SendFailed(problem.Status, message);
        }

        if (!Request.IsFetch())
        {
            return LocalRedirect($"{SignedInUser.From(User)!.HomePath}/{id}");
        }

        return sent.Value is { } item ? Partial("_Message", item) : new NoContentResult();
    }

    /// <summary>Moves the reader's horizon up to a message they have now seen.</summary>
    public async Task<IActionResult> OnPostReadAsync(Guid id, Guid upToMessageId, CancellationToken cancellationToken)
    {
        var read = await conversations.MarkReadAsync(id, upToMessageId, cancellationToken);
        return read.Succeeded ? new NoContentResult() : this.FromProblem(read.Problem!);
    }

    public async Task<IActionResult> OnPostStatusAsync(Guid id, StatusAction move, CancellationToken cancellationToken)
    {
        if (!SignedInUser.From(User)!.IsStaff)
        {
            return Forbid();
        }

        var changed = await conversations.ChangeStatusAsync(id, move, cancellationToken);
        if (!changed.Succeeded)
        {
            return this.FromProblem(changed.Problem!);
        }

        return Request.IsFetch() ? new NoContentResult() : LocalRedirect($"/inbox/{id}");
    }

    private IActionResult SendFailed(int status, string? message)
    {
        var text = message ?? "The message could not be sent. Try again.";
        if (Request.IsFetch())
        {
            return new ContentResult { StatusCode = status, Content = text, ContentType = "text/plain; charset=utf-8" };
        }

        return StatusCode(status);
    }
}
