using CareMessaging.Identity.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CareMessaging.Identity.Pages.Account;

/// <summary>
/// User name and password. Every refusal reads the same, whether the account is unknown, the
/// password wrong or the account locked, so the page cannot be used to find accounts.
/// </summary>
[AllowAnonymous]
public sealed class SignInModel(PasswordCheck passwords, SignInRateLimits limits) : PageModel
{
    public const string Refused = "The user name or password is not right, or the account is locked. Try again, or ask your administrator.";
    public const string TooMany = "Too many sign-in attempts. Wait a minute and try again.";
    public const string Interrupted = "Your last sign-in did not finish: it took too long, or was started in another tab. Please sign in again.";

    /// <summary>Why the page is shown again, from a fixed list: the gateway names it in the authorization request it sends here.</summary>
    public string? Notice => ReturnUrl is { Length: > 0 } && ReturnUrl.Contains("cm_notice=interrupted", StringComparison.Ordinal) ? Interrupted : null;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            Error = "Enter your user name and password.";
            return Page();
        }

        if (!limits.TryAcquire(HttpContext.Connection.RemoteIpAddress?.ToString(), UserName))
        {
            Error = TooMany;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }

        switch (await passwords.CheckAsync(UserName.Trim(), Password, HttpContext.Connection.RemoteIpAddress?.ToString()))
        {
            case PasswordOutcome.Throttled:
                Error = TooMany;
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();
            case PasswordOutcome.SignedIn:
                return LocalRedirect(SafeReturnUrl(Url, ReturnUrl));
            case PasswordOutcome.NeedsSecondFactor:
                return RedirectToPage("/Account/Mfa", new { returnUrl = SafeReturnUrl(Url, ReturnUrl) });
            default:
                Error = Refused;
                return Page();
        }
    }

    /// <summary>Only addresses on this site; anything else returns to the gateway's sign-in.</summary>
    public static string SafeReturnUrl(IUrlHelper url, string? returnUrl) =>
        returnUrl is { Length: > 0 } && url.IsLocalUrl(returnUrl) ? returnUrl : "/signin";
}
