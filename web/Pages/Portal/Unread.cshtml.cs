using CareMessaging.Web.Dashboard;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Web.Pages.Portal;

/// <summary>
/// The portal navigation's unread count alone, for the script that follows pushes (the inbox has
/// its own in <c>/inbox/dashboard</c>). A service that does not answer is a 503, and the script keeps what it shows.
/// </summary>
public sealed class UnreadModel(DashboardLoader dashboard) : PageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await dashboard.LoadUnreadTotalAsync(cancellationToken) is { } total
            ? Partial("_UnreadBadge", (long?)total)
            : StatusCode(StatusCodes.Status503ServiceUnavailable);
}
