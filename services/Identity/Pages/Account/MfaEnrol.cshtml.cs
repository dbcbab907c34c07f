using System.Security.Claims;
using System.Text;
using CareMessaging.Identity.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QRCoder;

namespace CareMessaging.Identity.Pages.Account;

/// <summary>
/// Enrols an authenticator app: a QR code rendered here (no script, no third party) and the shared
/// key as text, then one code to prove the app works.
/// </summary>
public sealed class MfaEnrolModel(UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn, SignInAudit audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public bool AlreadyEnrolled { get; private set; }

    public string SharedKey { get; private set; } = string.Empty;

    public string FormattedKey => string.Join(' ', SharedKey.Chunk(4).Select(chunk => new string(chunk)));

    public string QrCodeDataUri { get; private set; } = string.Empty;

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (await users.GetTwoFactorEnabledAsync(user))
        {
            return LocalRedirect(SignInModel.SafeReturnUrl(Url, ReturnUrl));
        }

        var code = new string((Code ?? string.Empty).Where(char.IsDigit).ToArray());
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            await LoadAsync(user);
            Error = "That code is not right. Check the time on your phone and enter the newest code.";
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        await audit.MfaEnrolledAsync(user.Id);
        // The code just proved the second factor, so this sign-in counts as multi-factor.
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim("amr", "mfa")]);
        return LocalRedirect(SignInModel.SafeReturnUrl(Url, ReturnUrl));
    }

    private async Task LoadAsync(IdentityUser user)
    {
        AlreadyEnrolled = await users.GetTwoFactorEnabledAsync(user);
        if (AlreadyEnrolled)
        {
            return;
        }

        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }

        SharedKey = key!;
        var label = Uri.EscapeDataString($"CareMessaging:{await users.GetUserNameAsync(user)}");
        var uri = $"otpauth://totp/{label}?secret={SharedKey}&issuer=CareMessaging&digits=6";
        using var data = QRCodeGenerator.GenerateQrCode(Encoding.UTF8.GetBytes(uri), QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(5);
        QrCodeDataUri = "data:image/png;base64," + Convert.ToBase64String(png);
    }
}
