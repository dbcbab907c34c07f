using CareMessaging.Web.Api;
using CareMessaging.Web.Pages.Shared;
using CareMessaging.Web.Users;
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
        [FromForm] ListFilter filter = ListFilter.All, [FromForm] string? q = null, [FromForm] string? cursor = null,
        [FromForm] int limit = Inbox.IndexModel.PageSize, [FromForm] Guid? selected = null, CancellationToken cancellationToken = default)
    {
        var user = SignedInUser.From(User)!;
        if (!user.IsStaff && !user.IsPatient)
        {
            return Forbid();
        }

        var page = await conversations.ListAsync(filter, q, cursor, limit, cancellationToken);
        if (!page.Succeeded)
        {
            return this.FromProblem(page.Problem!);
        }

        return Partial("_ConversationList",
            new ConversationListView(page.Value!.Items, page.Value.NextCursor, filter, q, selected, user.IsStaff));
    }
}
