using CareMessaging.Web.Dashboard;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Web.Pages.Inbox;

/// <summary>
/// The inbox's figures alone, for scripts that follow pushes: the four cards and the teams'
/// response times, rendered by the partial the page uses (the badge is <c>/unread</c>). The page's scripts ask the web app for
/// everything they show, never the services' APIs (docs/decisions/0046). A service that does not
/// answer is a 503, and the script keeps what it shows.
/// </summary>
public sealed class DashboardModel(DashboardLoader dashboard) : PageModel
{
    public async Task<IActionResult> OnGetStatsAsync(CancellationToken cancellationToken) =>
        await dashboard.LoadCountsAsync(cancellationToken) is { } counts
            ? Partial("_StatsCards", counts)
            : StatusCode(StatusCodes.Status503ServiceUnavailable);
}
