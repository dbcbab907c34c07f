using CareMessaging.AppHost;
using CareMessaging.AppHost.Infrastructure;
using CareMessaging.AppHost.Operations;
using CareMessaging.AppHost.Security;
using CareMessaging.AppHost.Supervision;
using CareMessaging.Contracts;

var builder = DistributedApplication.CreateBuilder(args);

// Every process is watched: a crash is healed, a process that cannot start ends the run with its log (ADR 0007).
builder.AddResourceSupervision();

// Infrastructure: local processes, containers or existing servers (Infrastructure:Mode).
var infrastructure = builder.AddCareMessagingInfrastructure();
if (builder.Configuration.GetValue<bool>("AppHost:InfrastructureOnly"))
{
    // Only the stores and the broker, for running one service from an IDE or a test host.
    builder.Build().Run();
    return;
}

// The gateway's sessions: a store of their own, apart from the cache (ADR 0027).
var sessions = builder.AddSessionStore(infrastructure.Mode);
// Each service signs in to PostgreSQL with its own login (ADR 0028).
var databaseLogins = DatabaseLogins.Add(builder, infrastructure);

// Sign-in: the gateway's public address is the issuer users see; keys and client secrets are secret parameters.
var gatewayAddress = GatewayEndpoint.Resolve(builder.Configuration);
// Scaled out as in Kubernetes when asked (AppHost:Replicas, ADR 0055).
var replicas = Replicas.Read(builder.Configuration);
var issuer = $"{gatewayAddress.Url}/identity/";
var secrets = IdentitySecrets.Add(builder, infrastructure.Mode);
// Demo accounts and data only when asked for (Seed:Demo, which the launch profiles of local runs
// set); the services refuse it outside Development, so a deployment can never seed them.
var seedDemo = builder.Configuration.GetValue<bool>("Seed:Demo").ToString();

// Services, each with its own store, all on the message bus.
var identity = builder.AddProject<Projects.CareMessaging_Identity>(ResourceNames.Identity)
    .WithReference(infrastructure.IdentityDb).WaitFor(infrastructure.IdentityDb)
    .WithDatabaseLogin(databaseLogins, ResourceNames.IdentityDb)
    .WithReference(infrastructure.Redis).WaitFor(infrastructure.Redis)
    .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging)
    .WithOpenIdConnectServer(issuer, gatewayAddress.Url, secrets)
    .WithEnvironment("Seed__Demo", seedDemo)
    .WithConfiguredReplicas(replicas)
    .WithHttpHealthCheck("/health");

// Message bodies are encrypted at rest with a key from a secret parameter.
var conversationKeyId = builder.Configuration["Conversation:EncryptionKeyId"] is { Length: > 0 } keyId ? keyId : "k1";
var conversation = builder.AddProject<Projects.CareMessaging_Conversation>(ResourceNames.Conversation)
    .WithReference(infrastructure.ConversationDb).WaitFor(infrastructure.ConversationDb)
    .WithDatabaseLogin(databaseLogins, ResourceNames.ConversationDb)
    .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging)
    .WithEnvironment("Encryption__ActiveKeyId", conversationKeyId)
    .WithEnvironment($"Encryption__Keys__{conversationKeyId}", infrastructure.ConversationEncryptionKey)
    .WithEnvironment("Seed__Demo", seedDemo)
    .WithTokenValidation(identity, issuer)
    .WithConfiguredReplicas(replicas)
    .WithHttpHealthCheck("/health");

// Notification and Stats build their read models from the Conversation service's export, with a
// client-credentials token from the Identity service, and report ready only once that is done
// (ADR 0036). They wait for both at start (Identity through WithTokenValidation) so that the first
// build succeeds at once. WaitFor orders the start only: if the Conversation service goes down
// later they keep running and serving what they have.
var notification = builder.AddProject<Projects.CareMessaging_Notification>(ResourceNames.Notification)
    .WithReference(infrastructure.Redis).WaitFor(infrastructure.Redis)
    .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging)
    .WithReference(conversation).WaitFor(conversation)
    .WithTokenValidation(identity, issuer)
    .WithServiceClient(ResourceNames.Notification, secrets.NotificationClientSecret, OAuthScopes.ReadModel)
    .WithConfiguredReplicas(replicas)
    .WithHttpHealthCheck("/health");

var audit = builder.AddProject<Projects.CareMessaging_Audit>(ResourceNames.Audit)
    .WithReference(infrastructure.AuditDb).WaitFor(infrastructure.AuditDb)
    .WithDatabaseLogin(databaseLogins, ResourceNames.AuditDb)
    .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging)
    .WithTokenValidation(identity, issuer)
    .WithConfiguredReplicas(replicas)
    .WithHttpHealthCheck("/health");

var stats = builder.AddProject<Projects.CareMessaging_Stats>(ResourceNames.Stats)
    .WithReference(infrastructure.StatsDb).WaitFor(infrastructure.StatsDb)
    .WithDatabaseLogin(databaseLogins, ResourceNames.StatsDb)
    .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging)
    .WithReference(conversation).WaitFor(conversation)
    .WithTokenValidation(identity, issuer)
    .WithServiceClient(ResourceNames.Stats, secrets.StatsClientSecret, OAuthScopes.ReadModel)
    .WithConfiguredReplicas(replicas)
    .WithHttpHealthCheck("/health");

// The operator's chores as dashboard commands on the services that do them (ADR 0008).
if (secrets.OperationsClientSecret is { } operationsSecret)
{
    OperatorCommands.AddOperatorCommands(identity, operationsSecret, conversation, notification, audit, stats);
}

// The front end, and the gateway in front of everything: the only public entry, and the
// browsers' OpenID Connect client with sessions in Redis.
var web = builder.AddProject<Projects.CareMessaging_Web>(ResourceNames.Web)
    .WithReference(infrastructure.Redis).WaitFor(infrastructure.Redis)
    .WithReference(conversation).WaitFor(conversation)
    .WithReference(stats).WaitFor(stats)
    .WithReference(notification).WaitFor(notification)
    .WithTokenValidation(identity, issuer)
    .WithEnvironment("Display__TimeZone", builder.Configuration["Display:TimeZone"] ?? string.Empty)
    .WithConfiguredReplicas(replicas)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.CareMessaging_Gateway>(ResourceNames.Gateway)
    .WithReference(sessions).WaitFor(sessions)
    .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging)
    .WithReference(web).WaitFor(web)
    .WithReference(identity).WaitFor(identity)
    .WithReference(conversation).WaitFor(conversation)
    .WithReference(notification).WaitFor(notification)
    .WithReference(audit).WaitFor(audit)
    .WithReference(stats).WaitFor(stats)
    .WithOpenIdConnectClient(identity, issuer, secrets.GatewayClientSecret)
    .WithDataProtectionKeys(secrets)
    .WithPublicEndpoint(gatewayAddress)
    .WithReplicasOnPublicPort(replicas)
    .WithHttpHealthCheck("/health");

// Connections to the stores encrypted, and nothing less accepted, when asked (Infrastructure:Tls, ADR 0056).
builder.RequireStoreTlsInEveryService(infrastructure);

builder.RunProjectsDirectly();
builder.Build().Run();
