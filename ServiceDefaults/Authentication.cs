using CareMessaging.Contracts;
using CareMessaging.ServiceDefaults;
using Microsoft.AspNetCore.Authentication.JwtBearer;
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
