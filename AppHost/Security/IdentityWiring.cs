using CareMessaging.Contracts;

namespace CareMessaging.AppHost.Security;

/// <summary>
/// How the Identity service, the gateway and the API services are told about each other. Tokens
/// name the public issuer (<c>&lt;gateway&gt;/identity/</c>); keys and metadata are fetched from
/// Identity's internal address, which only the cluster reaches.
/// </summary>
public static class IdentityWiring
{
    private const string PathBase = "/identity/";

    public static IResourceBuilder<ProjectResource> WithOpenIdConnectServer(
        this IResourceBuilder<ProjectResource> identity, string issuer, string gatewayUrl, IdentitySecrets secrets)
    {
        if (secrets.OperationsClientSecret is { } operations)
        {
            identity.WithEnvironment($"Identity__Clients__{Operations.OperatorCommands.OperationsClientId}__Secret", operations);
        }

        return identity
            .WithEnvironment("Identity__Issuer", issuer)
            .WithEnvironment("Identity__SigningKey", secrets.SigningKey)
            .WithEnvironment("Identity__EncryptionKey", secrets.EncryptionKey)
            .WithEnvironment($"Identity__Clients__{ResourceNames.Gateway}__Secret", secrets.GatewayClientSecret)
            .WithEnvironment($"Identity__Clients__{ResourceNames.Gateway}__BaseUrl", gatewayUrl + "/")
            .WithEnvironment($"Identity__Clients__{ResourceNames.Notification}__Secret", secrets.NotificationClientSecret)
            .WithEnvironment($"Identity__Clients__{ResourceNames.Stats}__Secret", secrets.StatsClientSecret)
            // Identity's own API (GET /identity/api/account) validates the tokens it issued.
            .WithTokenValidation(identity, issuer, waitForIdentity: false);
    }

    /// <summary>Bearer-token validation in ServiceDefaults: issuer, audience (the service's name), keys from Identity.</summary>
    public static IResourceBuilder<ProjectResource> WithTokenValidation(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ProjectResource> identity, string issuer, bool waitForIdentity = true)
    {
        var endpoint = identity.GetEndpoint("http");
        service
            .WithEnvironment("Authentication__Authority", ReferenceExpression.Create($"{endpoint}{PathBase}"))
            .WithEnvironment("Authentication__MetadataAddress", ReferenceExpression.Create($"{endpoint}{PathBase}.well-known/openid-configuration"))
            .WithEnvironment("Authentication__Issuer", issuer)
            // Metadata travels inside the cluster; TLS for browsers ends at the gateway or the ingress.
            .WithEnvironment("Authentication__RequireHttpsMetadata", "false");
        return waitForIdentity ? service.WaitFor(identity) : service;
    }

    /// <summary>A service client that calls other services with a client-credentials token (ServiceDefaults' ServiceClients).</summary>
    public static IResourceBuilder<ProjectResource> WithServiceClient(
        this IResourceBuilder<ProjectResource> service, string clientId, IResourceBuilder<ParameterResource> secret, string scope) =>
        service
            .WithEnvironment("ServiceClient__ClientId", clientId)
            .WithEnvironment("ServiceClient__ClientSecret", secret)
            .WithEnvironment("ServiceClient__Scope", scope);

    /// <summary>The gateway's data-protection keys, made from a secret parameter (gateway/Sessions/SecretKeyRing.cs).</summary>
    public static IResourceBuilder<ProjectResource> WithDataProtectionKeys(this IResourceBuilder<ProjectResource> gateway, IdentitySecrets secrets) =>
        gateway
            .WithEnvironment("DataProtection__ActiveKeyId", "k1")
            .WithEnvironment("DataProtection__Keys__k1", secrets.GatewayDataProtectionKey);

    /// <summary>The gateway as the browsers' OpenID Connect client of Identity (or, by configuration alone, of a hospital provider).</summary>
    public static IResourceBuilder<ProjectResource> WithOpenIdConnectClient(
        this IResourceBuilder<ProjectResource> gateway, IResourceBuilder<ProjectResource> identity, string issuer, IResourceBuilder<ParameterResource> secret)
    {
        var endpoint = identity.GetEndpoint("http");
        return gateway
            .WithEnvironment("Oidc__Authority", issuer)
            .WithEnvironment("Oidc__MetadataAddress", ReferenceExpression.Create($"{endpoint}{PathBase}.well-known/openid-configuration"))
            .WithEnvironment("Oidc__ClientId", ResourceNames.Gateway)
            .WithEnvironment("Oidc__ClientSecret", secret)
            .WithEnvironment("Oidc__RequireHttpsMetadata", "false");
    }
}
