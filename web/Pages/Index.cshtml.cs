using CareMessaging.Web.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Web.Pages;

/// <summary>The start page: signed-in people go straight to their work, everyone else sees how to sign in.</summary>
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() =>
        SignedInUser.From(User) is { } user ? LocalRedirect(user.HomePath) : Page();
}
