using System.Globalization;
using CareMessaging.Clients;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Web.Authentication;
using CareMessaging.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Web.Pages.Conversations;

/// <summary>
/// One conversation's commands and the pieces a script fetches: newer or earlier messages,
/// a reply, moving the read horizon, and the workflow moves. A plain link opens the
/// conversation where the reader works (the inbox or the portal).
/// </summary>
public sealed class ThreadModel(ConversationsClient conversations, Replies replies) : PageModel
{
    /// <summary>On a page of history: the sequence to ask for the page before it with, if there is one.</summary>
    public const string EarlierBeforeHeader = "X-Earlier-Before";

    /// <summary>On a full page of new arrivals: the sequence to ask for what follows it with.</summary>
    public const string LaterAfterHeader = "X-Later-After";

    [BindProperty]
    public string? Body { get; set; }

    [BindProperty]
    public Guid ClientMessageId { get; set; }

    public IActionResult OnGet(Guid id) =>
        CareMessagingCaller.From(User) is { Kind: not CallerKind.None } caller
            ? LocalRedirect($"{caller.HomePath}/{id}")
            : NotFound();

    /// <summary>
    /// Messages after <paramref name="after"/> (what arrived since the page last looked) or before
    /// <paramref name="before"/> (history), a page at a time. The service answers the oldest page of
    /// new arrivals; a full one names where the next starts, so the script asks again and a burst
    /// larger than a page leaves no gap.
    /// </summary>
    public async Task<IActionResult> OnGetMessagesAsync(Guid id, long? after, long? before, CancellationToken cancellationToken)
    {
        const int limit = ConversationLimits.DefaultMessageLimit;
        var page = await conversations.MessagesAsync(id, before, after, limit, cancellationToken);
        if (!page.Succeeded)
        {
            return this.FromProblem(page.Problem!);
        }

        var items = page.Value!.Items;
        if (before is not null && page.Value.NextBefore is { } earlier)
        {
            Response.Headers[EarlierBeforeHeader] = earlier.ToString(CultureInfo.InvariantCulture);
        }

        if (after is not null && items.Count == limit)
        {
            Response.Headers[LaterAfterHeader] = items[^1].Sequence.ToString(CultureInfo.InvariantCulture);
        }

        return Partial("_Messages", items);
    }

    /// <summary>A reply from the composer's script: the stored message, or a sentence saying why not.</summary>
    public async Task<IActionResult> OnPostSendAsync(Guid id, CancellationToken cancellationToken)
    {
        var reply = await replies.SendAsync(id, Body, ClientMessageId, cancellationToken);
        if (reply.EndsThePage || (!reply.Succeeded && !Request.IsFetch()))
        {
            return this.FromProblem(reply.Problem!);
        }

        if (!reply.Succeeded)
        {
            return new ContentResult { StatusCode = reply.Problem!.Status, Content = reply.Error, ContentType = "text/plain; charset=utf-8" };
        }

        if (!Request.IsFetch())
        {
            return LocalRedirect($"{CareMessagingCaller.From(User).HomePath}/{id}");
        }

        return reply.Message is { } item ? Partial("_Message", item) : new NoContentResult();
    }

    /// <summary>Moves the reader's horizon up to a message they have now seen.</summary>
    public async Task<IActionResult> OnPostReadAsync(Guid id, Guid upToMessageId, CancellationToken cancellationToken)
    {
        var read = await conversations.MarkReadAsync(id, upToMessageId, cancellationToken);
        return read.Succeeded ? new NoContentResult() : this.FromProblem(read.Problem!);
    }

    public async Task<IActionResult> OnPostStatusAsync(Guid id, StatusMove move, CancellationToken cancellationToken)
    {
        if (!CareMessagingCaller.From(User).IsStaff)
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
}
