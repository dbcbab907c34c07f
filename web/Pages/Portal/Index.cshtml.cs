using CareMessaging.Clients;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Web.Dashboard;
using CareMessaging.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Web.Pages.Portal;

/// <summary>
/// The patient portal: the patient's own conversations with unread markers, the chosen one with
/// its replies, and a way to start a new one; their unread count in the navigation. Nothing about
/// other patients, and no dashboard.
/// </summary>
public sealed class IndexModel(ConversationsClient conversations, ThreadLoader threads, DashboardLoader dashboard, Replies replies) : PageModel, IThreadPage
{
    public const int PageSize = 25;

    public ConversationListView List { get; private set; } = default!;

    public ThreadView? Thread { get; set; }

    public string HomePath => "/portal";

    /// <summary>The navigation's unread count; null while the Notification service does not answer.</summary>
    public long? UnreadTotal { get; private set; }

    public Task<IActionResult> OnGetAsync(Guid? conversationId, string? cursor = null, CancellationToken cancellationToken = default) =>
        LoadAsync(conversationId, cursor, cancellationToken);

    /// <summary>A reply without a script; if it fails, the page comes back with the text kept and the reason beside it.</summary>
    public Task<IActionResult> OnPostSendAsync(
        Guid conversationId, [FromForm] string? body, [FromForm] Guid clientMessageId, CancellationToken cancellationToken) =>
        replies.SendFromPageAsync(this, conversationId, body, clientMessageId, () => LoadAsync(conversationId, cursor: null, cancellationToken), cancellationToken);

    private async Task<IActionResult> LoadAsync(Guid? conversationId, string? cursor, CancellationToken cancellationToken)
    {
        if (conversationId is { } id)
        {
            var opened = await threads.OpenAsync(id, forStaff: false, backUrl: "/portal", cancellationToken);
            if (!opened.Succeeded)
            {
                return this.FromProblem(opened.Problem!);
            }

            Thread = opened.Value;
        }

        var list = conversations.ListAsync(ReadFilter.All, search: null, cursor, PageSize, cancellationToken: cancellationToken);
        var unread = dashboard.LoadUnreadTotalAsync(cancellationToken);
        var page = await list;
        UnreadTotal = await unread;
        if (!page.Succeeded)
        {
            return this.FromProblem(page.Problem!);
        }

        List = new ConversationListView(page.Value!.Items, page.Value.NextCursor, ReadFilter.All, Query: null, conversationId, ForStaff: false);
        return Page();
    }
}
