namespace CareMessaging.AppHost.Infrastructure.Processes;

/// <summary>PostgreSQL 15 from Debian's packages, run by <c>Scripts/postgres.sh</c>.</summary>
public sealed class PostgresProcessResource(string name, string workingDirectory, ParameterResource password, StoreCertificates? tls = null)
    : ExecutableResource(name, "bash", workingDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";

    private readonly List<PostgresProcessDatabaseResource> _databases = [];

    public EndpointReference PrimaryEndpoint => field ??= new(this, EndpointName);

    public ParameterResource Password { get; } = password;

    /// <summary>The certificates the server presents; null when it takes plain connections.</summary>
    public StoreCertificates? Tls { get; } = tls;

    /// <summary>
    /// What every connection string to this server ends with: with TLS on, encryption and a server
    /// certificate checked against the authority, for the host name too.
    /// </summary>
    public string TlsConnectionOptions => Tls is null ? string.Empty : $";SSL Mode=VerifyFull;Root Certificate={Tls.AuthorityPath}";

    /// <summary>Every database added to this server.</summary>
    public IReadOnlyList<PostgresProcessDatabaseResource> Databases => _databases;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username=postgres;Password={Password}{TlsConnectionOptions}");

    internal void AddDatabase(PostgresProcessDatabaseResource database) => _databases.Add(database);
}

/// <summary>A database on a <see cref="PostgresProcessResource"/>, created when the server is ready.</summary>
public sealed class PostgresProcessDatabaseResource(string name, string databaseName, PostgresProcessResource parent)
    : Resource(name), IResourceWithParent<PostgresProcessResource>, IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;

    public PostgresProcessResource Parent { get; } = parent;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}

/// <summary>Redis from Debian's packages, run by <c>Scripts/redis.sh</c>.</summary>
public sealed class RedisProcessResource(string name, string workingDirectory, ParameterResource password, StoreCertificates? tls = null)
    : ExecutableResource(name, "bash", workingDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => field ??= new(this, EndpointName);

    public ParameterResource Password { get; } = password;

    /// <summary>The certificates the server presents; null when it takes plain connections.</summary>
    public StoreCertificates? Tls { get; } = tls;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)},password={Password}{(Tls is null ? string.Empty : ",ssl=true")}");
}

/// <summary>RabbitMQ from Debian's packages, run by <c>Scripts/rabbitmq.sh</c>.</summary>
public sealed class RabbitMqProcessResource(string name, string workingDirectory, ParameterResource password, StoreCertificates? tls = null)
    : ExecutableResource(name, "bash", workingDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";
    internal const string DistributionEndpointName = "distribution";
    internal const string UserName = "caremessaging";

    public EndpointReference PrimaryEndpoint => field ??= new(this, EndpointName);

    public ParameterResource Password { get; } = password;

    /// <summary>The certificates the broker presents; null when it takes plain connections.</summary>
    public StoreCertificates? Tls { get; } = tls;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{(Tls is null ? "amqp" : "amqps")}://{UserName}:{Password}@{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
