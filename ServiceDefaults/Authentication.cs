using CareMessaging.Contracts;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Bearer-token validation shared by every API service: issuer, audience, signature from the
/// authority's published keys, lifetime. Every endpoint requires an authenticated caller unless
/// it opts out (health endpoints are mapped outside authorization).
/// </summary>
public static class Authentication
{
    public const string SectionName = "Authentication";

    /// <param name="audience">The API resource this service is; tokens must name it.</param>
    public static IHostApplicationBuilder AddDefaultAuthentication(this IHostApplicationBuilder builder, string audience)
    {
        var section = builder.Configuration.GetSection(SectionName);

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                // Where the signing keys are published (inside the cluster, by service discovery name).
                options.Authority = section["Authority"];
                options.MetadataAddress = section["MetadataAddress"] ?? string.Empty;
                options.Audience = section["Audience"] ?? audience;
                options.RequireHttpsMetadata = section.GetValue("RequireHttpsMetadata", !builder.Environment.IsDevelopment());
                options.MapInboundClaims = false;
                options.TokenValidationParameters.NameClaimType = CareMessagingClaims.Name;
                options.TokenValidationParameters.RoleClaimType = CareMessagingClaims.Role;
                options.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
                // The issuer is the public address users sign in at, which can differ from the Authority.
                if (section["Issuer"] is { Length: > 0 } issuer)
                {
                    options.TokenValidationParameters.ValidIssuer = issuer;
                }

                // A hospital identity provider may name claims differently (see ClaimMapping).
                var claimMap = ClaimMapping.Read(section);
                if (claimMap.Count > 0)
                {
                    options.Events = new JwtBearerEvents
                    {
                        OnTokenValidated = context =>
                        {
                            if (context.Principal?.Identity is System.Security.Claims.ClaimsIdentity identity)
                            {
                                ClaimMapping.Apply(identity, claimMap);
                            }

                            return Task.CompletedTask;
                        },
                    };
                }
            });

        builder.Services.AddCareMessagingPolicies();
        return builder;
    }
}

/// <summary>
/// Named authorization policies over the claims contract in <see cref="CareMessagingClaims"/>,
/// so endpoints say <c>RequireAuthorization(Policies.Staff)</c> instead of repeating role strings.
/// </summary>
public static class Policies
{
    /// <summary>Members of a care team: clinicians, nurses and front-desk staff.</summary>
    public const string CareTeam = "care-team";
    public const string Patient = "patient";
    public const string Compliance = "compliance";
    public const string Admin = "admin";

    /// <summary>A service client (client-credentials token) rebuilding a read model.</summary>
    public const string ReadModelExport = "read-model-export";

    /// <summary>The OAuth scope a service client needs for <see cref="ReadModelExport"/>.</summary>
    public const string ReadModelScope = OAuthScopes.ReadModel;

    public static IServiceCollection AddCareMessagingPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(CareTeam, policy => policy.RequireClaim(CareMessagingClaims.Role, Roles.CareTeamRoles))
            .AddPolicy(Patient, policy => policy
                .RequireClaim(CareMessagingClaims.Role, Roles.Patient)
                .RequireClaim(CareMessagingClaims.PatientId))
            .AddPolicy(Compliance, policy => policy.RequireClaim(CareMessagingClaims.Role, Roles.Compliance))
            .AddPolicy(Admin, policy => policy.RequireClaim(CareMessagingClaims.Role, Roles.Admin))
            .AddPolicy(ReadModelExport, policy => policy.RequireAssertion(context => HasScope(context.User, ReadModelScope)));
        return services;
    }

    /// <summary>True when the token grants <paramref name="scope"/>; JWTs carry scopes as one space-separated claim.</summary>
    public static bool HasScope(System.Security.Claims.ClaimsPrincipal user, string scope) =>
        user.FindAll("scope").SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Contains(scope);
}
