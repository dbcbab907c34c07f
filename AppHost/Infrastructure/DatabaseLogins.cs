using System.Security.Cryptography;
using System.Text.Json;
using CareMessaging.AppHost.Infrastructure.Processes;
using CareMessaging.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CareMessaging.AppHost.Infrastructure;

/// <summary>
/// Each service signs in to PostgreSQL with a login of its own, owner of its own database and of
/// nothing else, never a superuser; the Audit service writes the trail as <c>audit_writer</c>, which
/// may read and append to it and never change or remove a record, and migrates and purges as the
/// owner <c>audit</c> (docs/decisions/0028). In processes and containers modes the AppHost creates
/// the logins once the server is ready and takes over the objects an earlier run created as the
/// superuser; the passwords are generated into the state folder (processes) or into the AppHost's
/// user secrets beside the server's own (containers, whose data volume outlives a run). In external
/// mode the connection strings name the logins a DBA created with the SQL in the ADR.
/// </summary>
public sealed class DatabaseLogins
{
    public const string FileName = "database-logins.json";
    public const string AuditWriter = "audit_writer";
    public const string AuditOwnerConnectionSuffix = "-owner";

    private readonly IResourceWithConnectionString? _server;
    private readonly EndpointReference? _endpoint;
    private readonly Dictionary<string, IResourceBuilder<ParameterResource>> _passwords = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DatabaseLogins(IResourceWithConnectionString? server, EndpointReference? endpoint)
    {
        _server = server;
        _endpoint = endpoint;
    }

    /// <summary>The service logins, by login name: the owner of each database, and the audit writer.</summary>
    private static readonly (string Login, string Database)[] Owners =
    [
        (ResourceNames.Conversation, ResourceNames.ConversationDb),
        (ResourceNames.Audit, ResourceNames.AuditDb),
        (ResourceNames.Stats, ResourceNames.StatsDb),
        (ResourceNames.Identity, ResourceNames.IdentityDb),
    ];

    /// <summary>Sets the logins up in processes and containers modes; in external mode the connection strings are left as they are.</summary>
    public static DatabaseLogins Add(IDistributedApplicationBuilder builder, CareMessagingInfrastructure infrastructure)
    {
        var (server, endpoint) = infrastructure.ConversationDb.Resource switch
        {
            PostgresProcessDatabaseResource database => ((IResourceWithConnectionString)database.Parent, database.Parent.PrimaryEndpoint),
            PostgresDatabaseResource database => (database.Parent, database.Parent.PrimaryEndpoint),
            _ => ((IResourceWithConnectionString?)null, (EndpointReference?)null),
        };
        if (server is null)
        {
            return new DatabaseLogins(server: null, endpoint: null);
        }

        var logins = new DatabaseLogins(server, endpoint);
        var stored = infrastructure.Mode == InfrastructureMode.Processes
            ? Passwords(LocalState.Open(builder.Configuration, builder.AppHostDirectory).Directory)
            : null;
        foreach (var login in Owners.Select(o => o.Login).Append(AuditWriter))
        {
            var name = $"{login.Replace('_', '-')}-database-password";
            logins._passwords[login] = stored is not null
                ? builder.AddParameter(name, stored[login], secret: true)
                : builder.AddParameter(name, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
        }

        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (@event, cancellationToken) =>
        {
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CareMessaging.Infrastructure");
            try
            {
                await logins.CreateAsync(cancellationToken);
                logins._ready.TrySetResult();
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
            {
                logger.LogError(exception, "Creating the services' database logins failed");
                throw;
            }
        });
        return logins;
    }

    /// <summary>
    /// Hands <paramref name="service"/> its own login for <paramref name="databaseName"/> (after
    /// <c>WithReference</c>, whose superuser connection string it replaces), and holds its start until
    /// the login exists. The Audit service gets the writer as its connection and the owner for migrations.
    /// </summary>
    internal IResourceBuilder<ProjectResource> For(IResourceBuilder<ProjectResource> service, string databaseName)
    {
        if (_server is null)
        {
            return service;
        }

        var owner = Owners.Single(o => o.Database == databaseName).Login;
        service.ApplicationBuilder.Eventing.Subscribe<BeforeResourceStartedEvent>(service.Resource, (_, cancellationToken) =>
            _ready.Task.WaitAsync(cancellationToken));
        if (owner == ResourceNames.Audit)
        {
            return service
                .WithEnvironment($"ConnectionStrings__{databaseName}", ConnectionString(AuditWriter, databaseName))
                .WithEnvironment($"ConnectionStrings__{databaseName}{AuditOwnerConnectionSuffix}", ConnectionString(owner, databaseName));
        }

        return service.WithEnvironment($"ConnectionStrings__{databaseName}", ConnectionString(owner, databaseName));
    }

    private ReferenceExpression ConnectionString(string login, string databaseName)
    {
        var endpoint = _endpoint!;
        return ReferenceExpression.Create(
            $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};Username={login};Password={_passwords[login].Resource};Database={databaseName}{(_server as PostgresProcessResource)?.TlsConnectionOptions}");
    }

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        var superuser = new NpgsqlConnectionStringBuilder(await _server!.ConnectionStringExpression.GetValueAsync(cancellationToken)) { Pooling = false };
        await using (var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(superuser.ConnectionString) { Database = "postgres" }.ConnectionString))
        {
            await server.OpenAsync(cancellationToken);
            foreach (var (login, parameter) in _passwords)
            {
                var password = await parameter.Resource.GetValueAsync(cancellationToken);
                // Names are the constants above and passwords hex or letters and digits, never input: safe to write into the SQL.
                await ExecuteAsync(server, $"""
                    DO $$ BEGIN
                        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{login}') THEN CREATE ROLE {login} LOGIN; END IF;
                    END $$;
                    ALTER ROLE {login} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '{password}';
                    """, cancellationToken);
            }

            foreach (var (login, database) in Owners)
            {
                var writer = login == ResourceNames.Audit ? $", {AuditWriter}" : string.Empty;
                await ExecuteAsync(server, $"""
                    ALTER DATABASE {database} OWNER TO {login};
                    REVOKE ALL ON DATABASE {database} FROM PUBLIC;
                    GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {login}{writer};
                    """, cancellationToken);
            }
        }

        foreach (var (login, database) in Owners)
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(superuser.ConnectionString) { Database = database }.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, TakeOverSql(login), cancellationToken);
            if (login == ResourceNames.Audit)
            {
                await ExecuteAsync(connection, AuditWriterSql, cancellationToken);
            }
        }
    }

    /// <summary>Gives <paramref name="login"/> the schema and every object in it that the superuser created on an earlier run.</summary>
    private static string TakeOverSql(string login) => $$"""
        ALTER SCHEMA public OWNER TO {{login}};
        DO $$
        DECLARE
            statement text;
        BEGIN
            FOR statement IN
                SELECT format('ALTER %s %I.%I OWNER TO {{login}}',
                              CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
                              n.nspname, c.relname)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                  AND c.relowner <> '{{login}}'::regrole
                  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
            LOOP
                EXECUTE statement;
            END LOOP;
            FOR statement IN
                SELECT format('ALTER ROUTINE %s OWNER TO {{login}}', p.oid::regprocedure)
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'public' AND p.proowner <> '{{login}}'::regrole
                  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
            LOOP
                EXECUTE statement;
            END LOOP;
        END
        $$;
        """;

    /// <summary>The writer reads and appends to the trail, now and in every table the owner creates later; it never updates, deletes or truncates.</summary>
    private const string AuditWriterSql = $"""
        GRANT USAGE ON SCHEMA public TO {AuditWriter};
        ALTER DEFAULT PRIVILEGES FOR ROLE audit IN SCHEMA public GRANT SELECT, INSERT ON TABLES TO {AuditWriter};
        ALTER DEFAULT PRIVILEGES FOR ROLE audit IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {AuditWriter};
        GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO {AuditWriter};
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {AuditWriter};
        REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {AuditWriter};
        """;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The logins' passwords, generated once into the state folder (mode 600).</summary>
    private static Dictionary<string, string> Passwords(string stateDirectory)
    {
        var file = Path.Combine(stateDirectory, FileName);
        var passwords = File.Exists(file)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(file)) ?? []
            : [];
        var logins = Owners.Select(o => o.Login).Append(AuditWriter).ToList();
        if (logins.All(passwords.ContainsKey))
        {
            return passwords;
        }

        foreach (var login in logins.Where(login => !passwords.ContainsKey(login)))
        {
            passwords[login] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        }

        File.WriteAllText(file, JsonSerializer.Serialize(passwords));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return passwords;
    }
}

/// <summary>The AppHost's one line per service for <see cref="DatabaseLogins"/>.</summary>
public static class DatabaseLoginExtensions
{
    public static IResourceBuilder<ProjectResource> WithDatabaseLogin(
        this IResourceBuilder<ProjectResource> service, DatabaseLogins logins, string databaseName) => logins.For(service, databaseName);
}
