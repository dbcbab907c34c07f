using CareMessaging.Identity.Accounts;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CareMessaging.Identity.Oidc;

/// <summary>
/// Registers the scopes and clients at start-up from configuration, replacing what an earlier
/// start registered (a client secret or the gateway's address may have changed). A client whose
/// secret is not configured is not registered, so it cannot sign in.
/// </summary>
internal sealed partial class ClientRegistration(
    IOpenIddictApplicationManager applications,
    IOpenIddictScopeManager scopes,
    Microsoft.Extensions.Options.IOptions<IdentitySettings> settings,
    ILogger<ClientRegistration> logger)
{
    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        await UpsertScopeAsync(OidcScopes.Api, "CareMessaging APIs", OidcScopes.ApiResources, cancellationToken);
        await UpsertScopeAsync(OidcScopes.ReadModel, "Read-model export", OidcScopes.ReadModelResources, cancellationToken);
        await UpsertScopeAsync(OidcScopes.Operations, "Operator chores", OidcScopes.OperationsResources, cancellationToken);

        foreach (var (clientId, client) in settings.Value.Clients)
        {
            if (string.IsNullOrEmpty(client.Secret))
            {
                LogSkipped(logger, clientId);
                continue;
            }

            var descriptor = clientId == OidcScopes.GatewayClient ? Gateway(client) : ServiceClient(clientId, client.Secret);
            var existing = await applications.FindByClientIdAsync(clientId, cancellationToken);
            if (existing is null)
            {
                await applications.CreateAsync(descriptor, cancellationToken);
            }
            else
            {
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
            }

            LogRegistered(logger, clientId);
        }
    }

    private static OpenIddictApplicationDescriptor Gateway(ClientSettings client)
    {
        var baseUrl = client.BaseUrl ?? throw new InvalidOperationException(
            "Identity:Clients:gateway:BaseUrl is not set: the gateway's public address decides its redirect URIs.");
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = OidcScopes.GatewayClient,
            ClientSecret = client.Secret,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "CareMessaging gateway",
            RedirectUris = { new Uri(baseUrl, "signin-oidc") },
            PostLogoutRedirectUris = { new Uri(baseUrl, "signout-callback-oidc") },
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
                Permissions.Prefixes.Scope + OidcScopes.Api,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        return descriptor;
    }

    private static OpenIddictApplicationDescriptor ServiceClient(string clientId, string secret) => new()
    {
        ClientId = clientId,
        ClientSecret = secret,
        ClientType = ClientTypes.Confidential,
        DisplayName = $"CareMessaging {clientId} service",
        Permissions =
        {
            Permissions.Endpoints.Token,
            Permissions.GrantTypes.ClientCredentials,
            Permissions.Prefixes.Scope + (clientId == OidcScopes.OperationsClient ? OidcScopes.Operations : OidcScopes.ReadModel),
        },
    };

    private async Task UpsertScopeAsync(string name, string displayName, IReadOnlyList<string> resources, CancellationToken cancellationToken)
    {
        var descriptor = new OpenIddictScopeDescriptor { Name = name, DisplayName = displayName };
        foreach (var resource in resources)
        {
            descriptor.Resources.Add(resource);
        }

        if (await scopes.FindByNameAsync(name, cancellationToken) is { } existing)
        {
            await scopes.UpdateAsync(existing, descriptor, cancellationToken);
        }
        else
        {
            await scopes.CreateAsync(descriptor, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered OpenID Connect client {ClientId}")]
    private static partial void LogRegistered(ILogger logger, string clientId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientId} has no secret configured and is not registered")]
    private static partial void LogSkipped(ILogger logger, string clientId);
}
