using CareMessaging.Contracts;

namespace CareMessaging.Identity.Oidc;

/// <summary>The API scopes the Identity service knows and the resources (token audiences) each grants.</summary>
public static class OidcScopes
{
    /// <summary>A signed-in user calling the CareMessaging APIs through the gateway.</summary>
    public const string Api = OAuthScopes.Api;

    /// <summary>A service rebuilding a read model from the Conversation service.</summary>
    public const string ReadModel = OAuthScopes.ReadModel;

    public static readonly IReadOnlyList<string> ApiResources =
        [ResourceNames.Conversation, ResourceNames.Notification, ResourceNames.Audit, ResourceNames.Stats, ResourceNames.Identity, ResourceNames.Web];

    public static readonly IReadOnlyList<string> ReadModelResources = [ResourceNames.Conversation];

    /// <summary>An operator's chores, asked for from the AppHost's dashboard.</summary>
    public const string Operations = OAuthScopes.Operations;

    public static readonly IReadOnlyList<string> OperationsResources =
        [ResourceNames.Conversation, ResourceNames.Notification, ResourceNames.Audit, ResourceNames.Stats];

    /// <summary>The clients registered at start-up; each gets its secret from configuration.</summary>
    public const string GatewayClient = ResourceNames.Gateway;

    public static readonly IReadOnlyList<string> ReadModelClients = [ResourceNames.Notification, ResourceNames.Stats];

    /// <summary>The AppHost's client for the dashboard's operator commands; it gets only <see cref="Operations"/>.</summary>
    public const string OperationsClient = "operations";
}
