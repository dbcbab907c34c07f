using System.Security.Claims;
using CareMessaging.Contracts;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace CareMessaging.Identity.Apis;

/// <summary>
/// The caller's own account, as the access token states it plus whether an authenticator is
/// enrolled. Reached through the gateway at <c>/identity/api/account</c> with the relayed token.
/// </summary>
internal static class AccountApi
{
    public static void MapAccountApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/account")
            .RequireAuthorization(policy => policy
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser());
        api.MapGet("/", GetAccountAsync).WithName("GetAccount");
    }

    public static async Task<Results<Ok<AccountResponse>, NotFound>> GetAccountAsync(ClaimsPrincipal caller, UserManager<IdentityUser> users)
    {
        var userId = caller.FindFirstValue(CareMessagingClaims.Subject);
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(new AccountResponse(
            user.Id,
            caller.FindFirstValue(CareMessagingClaims.Name),
            caller.FindFirstValue(CareMessagingClaims.Role),
            [.. caller.FindAll(CareMessagingClaims.CareTeam).Select(c => c.Value)],
            caller.FindFirstValue(CareMessagingClaims.PatientId),
            caller.FindFirstValue(CareMessagingClaims.SessionId),
            await users.GetTwoFactorEnabledAsync(user)));
    }
}

/// <summary>The caller's account: ids, role and teams, and whether multi-factor sign-in is on.</summary>
public sealed record AccountResponse(
    string UserId,
    string? Name,
    string? Role,
    IReadOnlyList<string> CareTeams,
    string? PatientId,
    string? SessionId,
    bool MfaEnabled);
