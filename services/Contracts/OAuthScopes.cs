namespace CareMessaging.Contracts;

/// <summary>OAuth scopes the Identity service issues; each grants the audiences (resource names) listed with it.</summary>
public static class OAuthScopes
{
    /// <summary>A signed-in user calling the CareMessaging APIs through the gateway: audiences conversation, notification, audit, stats, identity.</summary>
    public const string Api = "caremessaging.api";

    /// <summary>A service client rebuilding a read model from the Conversation service: audience conversation.</summary>
    public const string ReadModel = "caremessaging.readmodel";

    /// <summary>
    /// The operator's chores (rebuild counters and stats, verify the audit chain, prune the outbox),
    /// asked for from the dashboard of a local run: audiences conversation, notification, audit, stats.
    /// </summary>
    public const string Operations = "caremessaging.operations";
}
