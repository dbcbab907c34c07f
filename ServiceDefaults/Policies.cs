using System.Security.Claims;
using CareMessaging.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace CareMessaging.ServiceDefaults;

/// <summary>
/// Named authorization policies, decided by <see cref="CareMessagingCaller"/>, so that every
/// service and the web front end agree on who is staff and who is a patient. Endpoints say
/// <c>RequireAuthorization(Policies.CareTeam)</c> instead of repeating role strings.
/// </summary>
public static class Policies
{
    /// <summary>Members of a care team: clinicians, nurses and front-desk staff.</summary>
    public const string CareTeam = "care-team";

    /// <summary>A patient with their patient ID in the token.</summary>
    public const string Patient = "patient";

    /// <summary>Anyone who takes part in conversations: <see cref="CareTeam"/> or <see cref="Patient"/>.</summary>
    public const string Participant = "participant";

    public const string Compliance = "compliance";
    public const string Admin = "admin";

    /// <summary>A service client (client-credentials token) rebuilding a read model.</summary>
    public const string ReadModelExport = "read-model-export";

    /// <summary>The OAuth scope a service client needs for <see cref="ReadModelExport"/>.</summary>
    public const string ReadModelScope = OAuthScopes.ReadModel;

    /// <summary>The operations client (client-credentials token) doing an operator's chore: a rebuild, a verification, a prune.</summary>
    public const string Operations = "operations";

    public static IServiceCollection AddCareMessagingPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(CareTeam, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => Caller(context).IsStaff))
            .AddPolicy(Patient, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => Caller(context).IsPatient))
            .AddPolicy(Participant, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => Caller(context).Kind != CallerKind.None))
            .AddPolicy(Compliance, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => Caller(context).HasRole(Roles.Compliance)))
            .AddPolicy(Admin, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => Caller(context).HasRole(Roles.Admin)))
            .AddPolicy(ReadModelExport, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => HasScope(context.User, ReadModelScope)))
            .AddPolicy(Operations, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => HasScope(context.User, OAuthScopes.Operations)));
        return services;
    }

    /// <summary>True when the token grants <paramref name="scope"/>; JWTs carry scopes as one space-separated claim.</summary>
    public static bool HasScope(ClaimsPrincipal user, string scope) =>
        user.FindAll("scope").SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Contains(scope);

    private static CareMessagingCaller Caller(AuthorizationHandlerContext context) => CareMessagingCaller.From(context.User);
}
