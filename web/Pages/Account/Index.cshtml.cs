using CareMessaging.Web.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Web.Pages.Account;

/// <summary>Where a signed-in person who is neither in a care team nor a patient lands.</summary>
public sealed class IndexModel : PageModel
{
    public SignedInUser SignedIn { get; private set; } = default!;

    public IActionResult OnGet()
    {
        SignedIn = SignedInUser.From(User)!;
        return SignedIn.IsStaff || SignedIn.IsPatient ? LocalRedirect(SignedIn.HomePath) : Page();
    }
}
