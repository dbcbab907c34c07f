using CareMessaging.AppHost.Infrastructure.Processes;
using CareMessaging.Contracts;

namespace CareMessaging.AppHost.Infrastructure;

/// <summary>
/// The stateful resources the services depend on, whatever runs them. Each service references
/// and waits for the ones it uses; none of them knows which mode is active. <see cref="Tls"/> is
/// set when connections to them must be encrypted (<c>Infrastructure:Tls</c>, ADR 0056).
/// </summary>
public sealed record CareMessagingInfrastructure(
    InfrastructureMode Mode,
    IResourceBuilder<IResourceWithConnectionString> ConversationDb,
    IResourceBuilder<IResourceWithConnectionString> AuditDb,
    IResourceBuilder<IResourceWithConnectionString> StatsDb,
    IResourceBuilder<IResourceWithConnectionString> IdentityDb,
    IResourceBuilder<IResourceWithConnectionString> Redis,
    IResourceBuilder<IResourceWithConnectionString> Messaging,
    IResourceBuilder<ParameterResource> ConversationEncryptionKey,
    StoreCertificates? Tls = null);

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
            builder.AddParameter(ConversationEncryptionKeyParameter, state.Credentials.ConversationEncryptionKey!, secret: true),
            state.Tls);
    }

    private static CareMessagingInfrastructure AddContainers(IDistributedApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<bool>(StoreCertificates.EnabledKey))
        {
            throw new DistributedApplicationException(
                $"{StoreCertificates.EnabledKey} is supported with local processes and with servers run by someone else: " +
                $"set {InfrastructureModeSelector.ConfigurationKey} to 'processes' or 'external', or turn TLS off for containers.");
        }

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
            builder.AddParameter(ConversationEncryptionKeyParameter, secret: true),
            StoreCertificates.Open(builder.Configuration, stateDirectory: string.Empty, serverCertificateNeeded: false));

    /// <summary>
    /// With TLS on, every service starts only with connection strings that require it and trusts
    /// the stores' certificate authority (ServiceDefaults' StoreTls), as the Helm chart sets them.
    /// </summary>
    public static void RequireStoreTlsInEveryService(this IDistributedApplicationBuilder builder, CareMessagingInfrastructure infrastructure)
    {
        if (infrastructure.Tls is not { } tls)
        {
            return;
        }

        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            builder.CreateResourceBuilder(project)
                .WithEnvironment("StoreTls__Required", "true")
                .WithEnvironment("StoreTls__CertificateAuthority", tls.AuthorityPath);
        }
    }
}
