using CareMessaging.Web.Dashboard;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Web.Pages.Notifications;

/// <summary>
/// The unread badge alone (the staff sidebar's and the portal navigation's), for the script that
/// follows pushes, from the Notification service's counters. A service that does not answer is a
/// 503, and the script keeps what it shows.
/// </summary>
public sealed class UnreadModel(DashboardLoader dashboard) : PageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await dashboard.LoadUnreadTotalAsync(cancellationToken) is { } total
            ? Partial("_UnreadBadge", (long?)total)
            : StatusCode(StatusCodes.Status503ServiceUnavailable);
}
