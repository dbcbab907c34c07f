using CareMessaging.AppHost;
using CareMessaging.AppHost.Infrastructure;
using CareMessaging.AppHost.Security;
using CareMessaging.Contracts;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: local processes, containers or existing servers (Infrastructure:Mode).
var infrastructure = builder.AddCareMessagingInfrastructure();
if (builder.Configuration.GetValue<bool>("AppHost:InfrastructureOnly"))
{
    // Only the stores and the broker, for running one service from an IDE or a test host.
    builder.Build().Run();
    return;
}

// Sign-in: the gateway's public address is the issuer users see; keys and client secrets are secret parameters.
var gatewayAddress = GatewayEndpoint.Resolve(builder.Configuration);
// Scaled out as in Kubernetes when asked (AppHost:Replicas, ADR 0055).
var replicas = Replicas.Read(builder.Configuration);
var issuer = $"{gatewayAddress.Url}/identity/";
var secrets = IdentitySecrets.Add(builder, infrastructure.Mode);
// Demo accounts and data for local runs only (never with external infrastructure); a deployment seeds nothing.
var seedDemo = builder.Configuration.GetValue(
    "Seed:Demo", builder.ExecutionContext.IsRunMode && infrastructure.Mode != InfrastructureMode.External).ToString();

// Services, each with its own store, all on the message bus.
var identity = builder.AddProject<Projects.CareMessaging_Identity>(ResourceNames.Identity)
    .WithReference(infrastructure.IdentityDb).WaitFor(infrastructure.IdentityDb)
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
    .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging)
    .WithTokenValidation(identity, issuer)
    .WithConfiguredReplicas(replicas)
    .WithHttpHealthCheck("/health");

var stats = builder.AddProject<Projects.CareMessaging_Stats>(ResourceNames.Stats)
    .WithReference(infrastructure.StatsDb).WaitFor(infrastructure.StatsDb)
    .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging)
    .WithReference(conversation).WaitFor(conversation)
    .WithTokenValidation(identity, issuer)
    .WithServiceClient(ResourceNames.Stats, secrets.StatsClientSecret, OAuthScopes.ReadModel)
    .WithConfiguredReplicas(replicas)
    .WithHttpHealthCheck("/health");

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
    .WithReference(infrastructure.Redis).WaitFor(infrastructure.Redis)
    .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging)
    .WithReference(web).WaitFor(web)
    .WithReference(identity).WaitFor(identity)
    .WithReference(conversation).WaitFor(conversation)
    .WithReference(notification).WaitFor(notification)
    .WithReference(audit).WaitFor(audit)
    .WithReference(stats).WaitFor(stats)
    .WithOpenIdConnectClient(identity, issuer, secrets.GatewayClientSecret)
    .WithPublicEndpoint(gatewayAddress)
    .WithReplicasOnPublicPort(replicas)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
