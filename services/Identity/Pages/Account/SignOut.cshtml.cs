using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Identity.Pages.Account;

/// <summary>Ends the sign-in kept by this service (for example after enrolling an authenticator).</summary>
[AllowAnonymous]
public sealed class SignOutModel(SignInManager<IdentityUser> signIn) : PageModel
{
    public bool SignedOut { get; private set; }

    public void OnGet()
    {
    }

    public async Task OnPostAsync()
    {
        await signIn.SignOutAsync();
        SignedOut = true;
    }
}
