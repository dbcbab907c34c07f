using CareMessaging.AppHost.Infrastructure.Processes;
using CareMessaging.Contracts;

namespace CareMessaging.AppHost.Infrastructure;

/// <summary>
/// The stateful resources the services depend on, whatever runs them. Each service references
/// and waits for the ones it uses; none of them knows which mode is active.
/// </summary>
public sealed record CareMessagingInfrastructure(
    InfrastructureMode Mode,
    IResourceBuilder<IResourceWithConnectionString> ConversationDb,
    IResourceBuilder<IResourceWithConnectionString> AuditDb,
    IResourceBuilder<IResourceWithConnectionString> StatsDb,
    IResourceBuilder<IResourceWithConnectionString> IdentityDb,
    IResourceBuilder<IResourceWithConnectionString> Redis,
    IResourceBuilder<IResourceWithConnectionString> Messaging,
    IResourceBuilder<ParameterResource> ConversationEncryptionKey);

public static class CareMessagingInfrastructureExtensions
{
    /// <summary>
    /// The secret parameter holding the Conversation service's active encryption key (32 random
    /// bytes, base64). Processes mode generates it into the state folder; the other modes read it
    /// from <c>Parameters:conversation-encryption-key</c> (user secrets or the deployment's store).
    /// </summary>
    public const string ConversationEncryptionKeyParameter = "conversation-encryption-key";

    public static CareMessagingInfrastructure AddCareMessagingInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var mode = InfrastructureModeSelector.Select(builder.Configuration);
        return mode switch
        {
            InfrastructureMode.Processes => AddProcesses(builder),
            InfrastructureMode.Containers => AddContainers(builder),
            InfrastructureMode.External => AddExternal(builder),
            _ => throw new ArgumentOutOfRangeException(nameof(builder), mode, "Unknown infrastructure mode."),
        };
    }

    private static CareMessagingInfrastructure AddProcesses(IDistributedApplicationBuilder builder)
    {
        var state = LocalState.Open(builder.Configuration, builder.AppHostDirectory);

        var postgres = builder.AddPostgresProcess(ResourceNames.Postgres, state);
        var redis = builder.AddRedisProcess(ResourceNames.Redis, state);
        var messaging = builder.AddRabbitMqProcess(ResourceNames.Messaging, state);

        return new CareMessagingInfrastructure(
            InfrastructureMode.Processes,
            postgres.AddDatabase(ResourceNames.ConversationDb),
            postgres.AddDatabase(ResourceNames.AuditDb),
            postgres.AddDatabase(ResourceNames.StatsDb),
            postgres.AddDatabase(ResourceNames.IdentityDb),
            redis,
            messaging,
            builder.AddParameter(ConversationEncryptionKeyParameter, state.Credentials.ConversationEncryptionKey!, secret: true));
    }

    private static CareMessagingInfrastructure AddContainers(IDistributedApplicationBuilder builder)
    {
        var postgres = builder.AddPostgres(ResourceNames.Postgres).WithDataVolume();
        var redis = builder.AddRedis(ResourceNames.Redis).WithDataVolume();
        var messaging = builder.AddRabbitMQ(ResourceNames.Messaging).WithDataVolume();

        return new CareMessagingInfrastructure(
            InfrastructureMode.Containers,
            postgres.AddDatabase(ResourceNames.ConversationDb),
            postgres.AddDatabase(ResourceNames.AuditDb),
            postgres.AddDatabase(ResourceNames.StatsDb),
            postgres.AddDatabase(ResourceNames.IdentityDb),
            redis,
            messaging,
            builder.AddParameter(ConversationEncryptionKeyParameter, secret: true));
    }

    /// <summary>
    /// Existing servers: each connection string is a secret parameter, read from
    /// <c>ConnectionStrings:&lt;name&gt;</c> (user secrets, environment, or the deployment's
    /// secret store).
    /// </summary>
    private static CareMessagingInfrastructure AddExternal(IDistributedApplicationBuilder builder) =>
        new(
            InfrastructureMode.External,
            builder.AddConnectionString(ResourceNames.ConversationDb),
            builder.AddConnectionString(ResourceNames.AuditDb),
            builder.AddConnectionString(ResourceNames.StatsDb),
            builder.AddConnectionString(ResourceNames.IdentityDb),
            builder.AddConnectionString(ResourceNames.Redis),
            builder.AddConnectionString(ResourceNames.Messaging),
            builder.AddParameter(ConversationEncryptionKeyParameter, secret: true));
}
