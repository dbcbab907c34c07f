using System.Security.Cryptography;
using CareMessaging.Identity.Accounts;
using CareMessaging.Identity.Data;
using Microsoft.IdentityModel.Tokens;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CareMessaging.Identity.Oidc;

/// <summary>
/// The OpenID Connect server: authorization code with PKCE (the gateway), refresh tokens, client
/// credentials (service clients). Endpoint addresses are relative to the path base, so they are
/// <c>&lt;gateway&gt;/identity/connect/...</c> for browsers and the internal address for the
/// gateway's and the services' back-channel calls; the issuer is fixed to the public address.
/// </summary>
internal static class OidcServer
{
    public static void AddOidcServer(this IHostApplicationBuilder builder, IdentitySettings settings)
    {
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<AccountsDbContext>())
            .AddServer(server =>
            {
                if (settings.Issuer is not null)
                {
                    server.SetIssuer(settings.Issuer);
                }

                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/endsession")
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetJsonWebKeySetEndpointUris(".well-known/jwks");

                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow();

                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess, OidcScopes.Api, OidcScopes.ReadModel);
                server.SetAccessTokenLifetime(settings.AccessTokenLifetime)
                    .SetIdentityTokenLifetime(settings.AccessTokenLifetime)
                    .SetRefreshTokenLifetime(settings.RefreshTokenLifetime)
                    .SetAuthorizationCodeLifetime(TimeSpan.FromMinutes(2));

                // Services validate plain signed JWTs with the published keys (ServiceDefaults).
                server.DisableAccessTokenEncryption();
                server.AddSigningKey(SigningKey(settings, builder.Environment));
                server.AddEncryptionKey(EncryptionKey(settings, builder.Environment));

                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // TLS ends at the gateway or the cluster's ingress; this service is reached over the internal network.
                    .DisableTransportSecurityRequirement();
            });
    }

    private static RsaSecurityKey SigningKey(IdentitySettings settings, IHostEnvironment environment)
    {
        var rsa = RSA.Create();
        if (settings.SigningKey is { Length: > 0 } key)
        {
            rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(key), out _);
        }
        else if (environment.IsDevelopment())
        {
            rsa.KeySize = 2048;
        }
        else
        {
            throw new InvalidOperationException("Identity:SigningKey is not set. Supply an RSA private key (PKCS#8, base64) as a secret.");
        }

        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        return new RsaSecurityKey(rsa) { KeyId = Base64UrlEncoder.Encode(SHA256.HashData(parameters.Modulus!))[..16] };
    }

    private static SymmetricSecurityKey EncryptionKey(IdentitySettings settings, IHostEnvironment environment)
    {
        if (settings.EncryptionKey is { Length: > 0 } key)
        {
            return new SymmetricSecurityKey(Convert.FromBase64String(key));
        }

        if (environment.IsDevelopment())
        {
            return new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));
        }

        throw new InvalidOperationException("Identity:EncryptionKey is not set. Supply a 256-bit key (base64) as a secret.");
    }
}
