using CareMessaging.Web.Dashboard;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Web.Pages.Inbox;

/// <summary>
/// The inbox's figures alone, for scripts that follow pushes: the four cards and the sidebar's
/// unread badge, rendered by the partials the pages use. The page's scripts ask the web app for
/// everything they show, never the services' APIs (docs/decisions/0046). A service that does not
/// answer is a 503, and the script keeps what it shows.
/// </summary>
public sealed class DashboardModel(DashboardLoader dashboard) : PageModel
{
    public async Task<IActionResult> OnGetStatsAsync(CancellationToken cancellationToken) =>
        await dashboard.LoadCountsAsync(cancellationToken) is { } counts
            ? Partial("_StatsCards", counts)
            : StatusCode(StatusCodes.Status503ServiceUnavailable);

    public async Task<IActionResult> OnGetUnreadAsync(CancellationToken cancellationToken) =>
        await dashboard.LoadUnreadTotalAsync(cancellationToken) is { } total
            ? Partial("_UnreadBadge", (long?)total)
            : StatusCode(StatusCodes.Status503ServiceUnavailable);
}
