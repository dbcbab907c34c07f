using System.Security.Claims;
using System.Text;
using CareMessaging.Contracts.Identity;
using CareMessaging.Identity.Accounts;
using CareMessaging.Identity.Enrolment;
using CareMessaging.ServiceDefaults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using QRCoder;

namespace CareMessaging.Identity.Pages.Account;

/// <summary>
/// Enrols an authenticator app: where enrolment needs an administrator's one-time code
/// (docs/decisions/0029), that code first, and only then a QR code rendered here (no script, no
/// third party) and the shared key as text, then one authenticator code to prove the app works.
/// The enrolment code is spent together with turning the authenticator on.
/// </summary>
public sealed class MfaEnrolModel(
    UserManager<IdentityUser> users,
    SignInManager<IdentityUser> signIn,
    SignInAudit audit,
    EnrolmentCodes codes,
    SignInThrottle throttle,
    IOptions<EnrolmentSettings> settings,
    IHostEnvironment environment,
    TimeProvider clock) : PageModel
{
    public const string WrongCode = "That enrolment code is not right. Check it against the one your administrator gave you, or ask them for a new one.";
    public const string ExpiredCode = "That enrolment code has expired. Ask your administrator for a new one.";
    public const string UsedCode = "That enrolment code was used already. Ask your administrator for a new one.";
    public const string TooManyCodes = "Too many wrong enrolment codes. Wait a few minutes and try again.";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? EnrolmentCode { get; set; }

    /// <summary>Which form was sent: <see cref="EnrolmentCodeStep"/>, or the authenticator code.</summary>
    [BindProperty]
    public string? Step { get; set; }

    public const string EnrolmentCodeStep = "enrolment-code";

    public bool AlreadyEnrolled { get; private set; }

    /// <summary>The enrolment code is asked for, and nothing of the authenticator key is shown yet.</summary>
    public bool AskForEnrolmentCode { get; private set; }

    public bool CodeRequired => settings.Value.CodeRequired(environment.IsDevelopment());

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

        AlreadyEnrolled = await users.GetTwoFactorEnabledAsync(user);
        if (!AlreadyEnrolled)
        {
            await ShowAsync(user, enrolmentCodeAccepted: false);
        }

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

        string? issuedBy = null;
        if (CodeRequired && (issuedBy = await AcceptEnrolmentCodeAsync(user)) is null)
        {
            return Page();
        }

        if (Step == EnrolmentCodeStep)
        {
            // A valid enrolment code shows the authenticator key; the code is carried to the confirmation, which spends it.
            await ShowAsync(user, enrolmentCodeAccepted: true);
            return Page();
        }

        var code = new string((Code ?? string.Empty).Where(char.IsDigit).ToArray());
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            await ShowAsync(user, enrolmentCodeAccepted: true);
            Error = "That code is not right. Check the time on your phone and enter the newest code.";
            return Page();
        }

        if (issuedBy is not null && !await codes.SpendAsync(user.Id, EnrolmentCode))
        {
            // Another enrolment spent it, or an administrator replaced it, since it was checked.
            await RefuseAsync(user, EnrolmentCodeRefusal.AlreadyUsed);
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        if (issuedBy is not null)
        {
            await throttle.RecordSuccessAsync(ThrottleName(user), ClientAddress.Of(HttpContext));
            await audit.EnrolmentCodeUsedAsync(user.Id, issuedBy);
        }

        await audit.MfaEnrolledAsync(user.Id);
        // The code just proved the second factor, so this sign-in counts as multi-factor.
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim("amr", "mfa")]);
        return LocalRedirect(SignInModel.SafeReturnUrl(Url, ReturnUrl));
    }

    /// <summary>
    /// Checks the enrolment code, slowed down like sign-in failures (per account and address, growing
    /// waits; docs/decisions/0026) and recorded when refused. On refusal the page asks for it again.
    /// </summary>
    /// <returns>The administrator who issued the code when it is accepted, else null.</returns>
    private async Task<string?> AcceptEnrolmentCodeAsync(IdentityUser user)
    {
        var address = ClientAddress.Of(HttpContext);
        if (await throttle.BlockedUntilAsync(ThrottleName(user), address) is { } until)
        {
            await audit.EnrolmentCodeRefusedAsync(user.Id, EnrolmentCodeRefusal.Throttled);
            AskForEnrolmentCode = true;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((until - clock.GetUtcNow()).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Error = TooManyCodes;
            return null;
        }

        var check = await codes.CheckAsync(user.Id, EnrolmentCode);
        if (check.Refusal is { } refusal)
        {
            await RefuseAsync(user, refusal);
            return null;
        }

        return check.IssuedBy;
    }

    private async Task RefuseAsync(IdentityUser user, EnrolmentCodeRefusal refusal)
    {
        if (refusal == EnrolmentCodeRefusal.Wrong)
        {
            await throttle.RecordFailureAsync(ThrottleName(user), ClientAddress.Of(HttpContext), user.Id);
        }

        await audit.EnrolmentCodeRefusedAsync(user.Id, refusal);
        AskForEnrolmentCode = true;
        EnrolmentCode = null;
        Error = refusal switch
        {
            EnrolmentCodeRefusal.Expired => ExpiredCode,
            EnrolmentCodeRefusal.AlreadyUsed => UsedCode,
            _ => WrongCode,
        };
    }

    /// <summary>The enrolment code step where a code is needed and not yet given, else the authenticator key.</summary>
    private async Task ShowAsync(IdentityUser user, bool enrolmentCodeAccepted)
    {
        if (CodeRequired && !enrolmentCodeAccepted)
        {
            AskForEnrolmentCode = true;
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

    // Enrolment codes are throttled apart from passwords: wrong codes never slow down the owner's sign-in.
    private static string ThrottleName(IdentityUser user) => "enrolment-code:" + user.Id;
}
