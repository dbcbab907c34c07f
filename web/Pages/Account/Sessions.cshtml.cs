using CareMessaging.Contracts;
using CareMessaging.Contracts.Identity;
using CareMessaging.Web.Dashboard;
using CareMessaging.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Web.Pages.Account;

/// <summary>
/// The signed-in user's own sessions (device, address, signed in, last seen), with ending one or
/// every other one. The gateway owns the sessions: it sends them with the request and ends what
/// the form's answer names (docs/decisions/0048). Ending "all" keeps this browser signed in.
/// </summary>
public sealed class SessionsModel(DashboardLoader dashboard) : PageModel
{
    public IReadOnlyList<SignedInSession> Sessions { get; private set; } = [];

    /// <summary>What the last form post ended, for the sentence at the top: "one" or "others".</summary>
    public string? Ended { get; private set; }

    public string? Error { get; private set; }

    public bool HasOthers => Sessions.Any(s => !s.Current);

    public async Task<IActionResult> OnGetAsync(string? ended, CancellationToken cancellationToken)
    {
        if (!ReadSessions())
        {
            return StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        Ended = ended is "one" or SessionPage.AllOthers ? ended : null;
        await LoadBadgeAsync(cancellationToken);
        return Page();
    }

    /// <summary>Ends one other session, named by its handle among this user's sessions.</summary>
    public async Task<IActionResult> OnPostEndAsync([FromForm] string? session, CancellationToken cancellationToken)
    {
        if (!ReadSessions())
        {
            return StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        if (Sessions.FirstOrDefault(s => s.Handle == session) is not { Current: false } chosen)
        {
            // Already ended (by another tab, an administrator, a timeout) or this one: the list as it is now.
            Error = "That session has already ended, or it is the one you are using. The list below is up to date.";
            await LoadBadgeAsync(cancellationToken);
            var page = Page();
            page.StatusCode = StatusCodes.Status409Conflict;
            return page;
        }

        Response.Headers[SessionPage.EndHeader] = chosen.Handle;
        return LocalRedirect($"{SessionPage.Path}?ended=one");
    }

    /// <summary>Ends every session of this user but the one this browser is using.</summary>
    public IActionResult OnPostEndOthers()
    {
        Response.Headers[SessionPage.EndHeader] = SessionPage.AllOthers;
        return LocalRedirect($"{SessionPage.Path}?ended={SessionPage.AllOthers}");
    }

    private bool ReadSessions()
    {
        if (SessionPage.Read(Request.Headers[SessionPage.SessionsHeader]) is not { } sessions)
        {
            return false;
        }

        // This browser first, then the most recently used.
        Sessions = [.. sessions.OrderByDescending(s => s.Current).ThenByDescending(s => s.LastSeenAt)];
        return true;
    }

    private async Task LoadBadgeAsync(CancellationToken cancellationToken)
    {
        if (User.SignedInCaller is { Kind: CallerKind.Staff or CallerKind.Patient })
        {
            ViewData["UnreadTotal"] = await dashboard.LoadUnreadTotalAsync(cancellationToken);
        }
    }
}
