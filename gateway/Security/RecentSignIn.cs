using CareMessaging.Gateway.Sessions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;

namespace CareMessaging.Gateway.Security;

/// <summary>
/// Administrative routes need a sign-in of the last <see cref="SessionSettings.AdminSignInMaxAge"/>
/// (15 minutes by default): an unattended but still open administrator session, or one whose role
/// was taken away meanwhile, cannot revoke sessions or rebuild read models.
/// </summary>
public sealed class RecentSignInRequirement : IAuthorizationRequirement;

/// <summary>Meets <see cref="RecentSignInRequirement"/> when the session's sign-in is recent enough.</summary>
public sealed class RecentSignInHandler(IOptions<SessionSettings> settings, TimeProvider clock) : AuthorizationHandler<RecentSignInRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RecentSignInRequirement requirement)
    {
        if (RedisSessionStore.SignedInAt(context.User) is { } signedInAt && clock.GetUtcNow() - signedInAt <= settings.Value.AdminSignInMaxAge)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>A sign-in that is no longer recent is a 401 that says how to sign in again, not a 403: the user may do this, just not yet.</summary>
public sealed class RecentSignInResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<RecentSignInRequirement>().Any() == true)
        {
            var back = Uri.EscapeDataString(context.Request.Headers.Referer is [{ } referer] && Uri.TryCreate(referer, UriKind.Absolute, out var page)
                ? page.PathAndQuery
                : "/");
            return BrowserAuthentication.Problem(context, StatusCodes.Status401Unauthorized, "Sign in again to continue",
                $"Administrative actions need a sign-in of the last few minutes. Sign in again at /signin?fresh=true&returnUrl={back}, then repeat the action.");
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
