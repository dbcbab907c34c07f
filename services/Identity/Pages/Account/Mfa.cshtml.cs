using CareMessaging.Contracts.Identity;
using CareMessaging.Identity.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Identity.Pages.Account;

/// <summary>The second step of sign-in for accounts with an authenticator: a TOTP code.</summary>
[AllowAnonymous]
public sealed class MfaModel(
    SignInManager<IdentityUser> signIn, SignInAudit audit, SignInRateLimits limits, SignInThrottle throttle) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Account/SignIn", new { ReturnUrl }) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Account/SignIn", new { ReturnUrl });
        }

        var address = HttpContext.Connection.RemoteIpAddress?.ToString();
        var userName = user.UserName ?? user.Id;
        if (!limits.TryAcquire(address, user.Id) || await throttle.BlockedUntilAsync(userName, address) is not null)
        {
            Error = SignInModel.TooMany;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }

        var code = new string((Code ?? string.Empty).Where(char.IsDigit).ToArray());
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            await throttle.RecordSuccessAsync(userName, address);
            return LocalRedirect(SignInModel.SafeReturnUrl(Url, ReturnUrl));
        }

        if (!result.IsLockedOut)
        {
            await throttle.RecordFailureAsync(userName, address, user.Id);
        }

        await audit.FailedAsync(user.Id, result.IsLockedOut ? SignInFailure.LockedOut : SignInFailure.MfaCodeRejected);
        Error = "That code is not right, or the account is locked. Check your authenticator app and try again.";
        return Page();
    }
}
