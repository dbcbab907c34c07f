using CareMessaging.Clients;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Web.Dashboard;
using CareMessaging.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Web.Pages.Inbox;

/// <summary>
/// The care team's shared inbox: the four figures, the conversation list with its tabs and
/// search, and the chosen conversation (opening it marks it read). A search is posted, so that
/// what was searched for (often a patient's name) never appears in an address.
/// </summary>
public sealed class IndexModel(ConversationsClient conversations, ThreadLoader threads, DashboardLoader dashboard, Replies replies) : PageModel, IThreadPage
{
    public const int PageSize = 25;

    public ConversationListView List { get; private set; } = default!;

    public ThreadView? Thread { get; set; }

    public string HomePath => "/inbox";

    public DashboardView Dashboard { get; private set; } = default!;

    public Task<IActionResult> OnGetAsync(
        Guid? conversationId, ReadFilter filter = ReadFilter.All, string? cursor = null, CancellationToken cancellationToken = default) =>
        LoadAsync(conversationId, filter, query: null, cursor, cancellationToken);

    /// <summary>A search, and a search's next page, without a script.</summary>
    public Task<IActionResult> OnPostAsync(
        Guid? conversationId, [FromForm] ReadFilter filter = ReadFilter.All, [FromForm] string? q = null, [FromForm] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        LoadAsync(conversationId, filter, q, cursor, cancellationToken);

    /// <summary>A reply without a script; if it fails, the page comes back with the text kept and the reason beside it.</summary>
    public Task<IActionResult> OnPostSendAsync(
        Guid conversationId, [FromForm] string? body, [FromForm] Guid clientMessageId, CancellationToken cancellationToken) =>
        replies.SendFromPageAsync(this, conversationId, body, clientMessageId, () => LoadAsync(conversationId, ReadFilter.All, query: null, cursor: null, cancellationToken), cancellationToken);

    private async Task<IActionResult> LoadAsync(Guid? conversationId, ReadFilter filter, string? query, string? cursor, CancellationToken cancellationToken)
    {
        var backUrl = "/inbox" + ConversationListView.ListQuery(filter, cursor: null);
        if (conversationId is { } id)
        {
            // Opened first, so that the list and the figures below already count it as read.
            var opened = await threads.OpenAsync(id, forStaff: true, backUrl, cancellationToken);
            if (!opened.Succeeded)
            {
                return this.FromProblem(opened.Problem!);
            }

            Thread = opened.Value;
        }

        if (ConversationListView.SearchProblem(query) is { } searchError)
        {
            List = new ConversationListView([], null, filter, query, conversationId, ForStaff: true, searchError);
            Dashboard = await dashboard.LoadAsync(cancellationToken);
            return Page();
        }

        var list = conversations.ListAsync(filter, query, cursor, PageSize, cancellationToken: cancellationToken);
        var figures = dashboard.LoadAsync(cancellationToken);
        var page = await list;
        if (!page.Succeeded)
        {
            return this.FromProblem(page.Problem!);
        }

        List = new ConversationListView(page.Value!.Items, page.Value.NextCursor, filter, query, conversationId, ForStaff: true);
        Dashboard = await figures;
        return Page();
    }
}
