using CareMessaging.Clients;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Web.Pages.Conversations;

/// <summary>
/// The conversation list alone, for scripts: a tab, a search as the user types, the next page,
/// or a refresh after a push. Razor renders it, so every topic and preview is HTML-encoded. It is
/// posted, so that what was searched for never appears in an address.
/// </summary>
public sealed class ListModel(ConversationsClient conversations) : PageModel
{
    public async Task<IActionResult> OnPostAsync(
        [FromForm] ReadFilter filter = ReadFilter.All, [FromForm] string? q = null, [FromForm] string? cursor = null,
        [FromForm] int limit = Inbox.IndexModel.PageSize, [FromForm] Guid? selected = null, CancellationToken cancellationToken = default)
    {
        var caller = CareMessagingCaller.From(User);
        if (caller.Kind == CallerKind.None)
        {
            return Forbid();
        }

        if (ConversationListView.SearchProblem(q) is { } searchError)
        {
            return Partial("_ConversationList", new ConversationListView([], null, filter, q, selected, caller.IsStaff, searchError));
        }

        // A refresh asks for as many as the page shows, up to the most the service gives in one page.
        var page = await conversations.ListAsync(filter, q, cursor, Math.Clamp(limit, 1, ConversationLimits.MaxListLimit), cancellationToken: cancellationToken);
        if (!page.Succeeded)
        {
            return this.FromProblem(page.Problem!);
        }

        return Partial("_ConversationList",
            new ConversationListView(page.Value!.Items, page.Value.NextCursor, filter, q, selected, caller.IsStaff));
    }
}
