using CareMessaging.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Web.Pages;

/// <summary>The start page: signed-in people go straight to their work, everyone else sees how to sign in.</summary>
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() =>
        User.SignedInCaller is { } caller ? LocalRedirect(caller.HomePath) : Page();
}
