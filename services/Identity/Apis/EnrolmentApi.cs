using System.Security.Claims;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Identity;
using CareMessaging.Identity.Accounts;
using CareMessaging.Identity.Enrolment;
using CareMessaging.ServiceDefaults;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CareMessaging.Identity.Apis;

/// <summary>
/// An administrator's part in authenticator enrolment (docs/decisions/0029): a one-time code that
/// lets one account enrol, and the reset of an account's authenticator when its phone is lost.
/// Reached through the gateway at <c>/identity/api/admin/users/{userId}</c>, which asks for a
/// recent sign-in as on every administrative route; the role is checked here, from the relayed token.
/// </summary>
internal static class EnrolmentApi
{
    public static void MapEnrolmentApi(this WebApplication app)
    {
        var admin = app.MapGroup("/api/admin/users/{userId}")
            .RequireAuthorization(new AuthorizeAttribute(Policies.Admin) { AuthenticationSchemes = JwtBearerDefaults.AuthenticationScheme });
        admin.MapPost("/enrolment-code", IssueCodeAsync).WithName("IssueEnrolmentCode");
        admin.MapDelete("/authenticator", ResetAuthenticatorAsync).WithName("ResetAuthenticator");
    }

    /// <summary>A new enrolment code for the account, shown in this answer only; one issued before stops working.</summary>
    public static async Task<Results<Ok<IssuedEnrolmentCode>, ProblemHttpResult>> IssueCodeAsync(
        string userId, HttpContext http, [AsParameters] EnrolmentAdministration services)
    {
        if (await FindAsync(services.Users, userId) is not { } user)
        {
            return UnknownAccount();
        }

        var adminId = http.User.FindFirstValue(CareMessagingClaims.Subject)!;
        var (code, expiresAt, replaced) = await services.Codes.IssueAsync(user.Id, adminId);
        await services.Audit.EnrolmentCodeIssuedAsync(user.Id, adminId, expiresAt, replaced);
        // The code is a credential: no cache on the way may keep the answer.
        http.Response.Headers.CacheControl = "no-store";
        var enrolment = services.Settings.Value.Issuer is { } issuer ? new Uri(issuer, "account/mfa-enrol").ToString() : "/identity/account/mfa-enrol";
        return TypedResults.Ok(new IssuedEnrolmentCode(user.Id, code, expiresAt, enrolment));
    }

    /// <summary>
    /// Removes the account's authenticator (a new key, so the old phone's codes are worthless): the
    /// account enrols again at its next sign-in, with a new code where codes are required.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> ResetAuthenticatorAsync(
        string userId, HttpContext http, [AsParameters] EnrolmentAdministration services)
    {
        if (await FindAsync(services.Users, userId) is not { } user)
        {
            return UnknownAccount();
        }

        await services.Users.SetTwoFactorEnabledAsync(user, false);
        await services.Users.ResetAuthenticatorKeyAsync(user);
        await services.Audit.AuthenticatorResetAsync(user.Id, http.User.FindFirstValue(CareMessagingClaims.Subject)!);
        return TypedResults.NoContent();
    }

    private static async Task<IdentityUser?> FindAsync(UserManager<IdentityUser> users, string userId) =>
        userId is { Length: > 0 and <= 128 } ? await users.FindByIdAsync(userId) : null;

    private static ProblemHttpResult UnknownAccount() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such account",
            detail: "No account has this userId. Check the id in the account list and try again.");
}

/// <summary>What the enrolment administration endpoints need, bundled.</summary>
internal sealed record EnrolmentAdministration(
    UserManager<IdentityUser> Users,
    EnrolmentCodes Codes,
    SignInAudit Audit,
    IOptions<IdentitySettings> Settings);
