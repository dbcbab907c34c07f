using CareMessaging.Contracts;
using CareMessaging.Web.Pages.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Web.Pages.Account;

/// <summary>Where a signed-in person who is neither in a care team nor a patient lands.</summary>
public sealed class IndexModel : PageModel
{
    public CareMessagingCaller SignedIn { get; private set; } = default!;

    public IActionResult OnGet()
    {
        SignedIn = CareMessagingCaller.From(User);
        return SignedIn.Kind == CallerKind.None ? Page() : LocalRedirect(SignedIn.HomePath);
    }
}
