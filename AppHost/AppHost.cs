using CareMessaging.AppHost;
using CareMessaging.AppHost.Infrastructure;
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

// Services, each with its own store, all on the message bus.
var identity = builder.AddProject<Projects.CareMessaging_Identity>(ResourceNames.Identity)
    .WithReference(infrastructure.IdentityDb).WaitFor(infrastructure.IdentityDb)
    .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging)
    .WithHttpHealthCheck("/health");

var conversation = builder.AddProject<Projects.CareMessaging_Conversation>(ResourceNames.Conversation)
    .WithReference(infrastructure.ConversationDb).WaitFor(infrastructure.ConversationDb)
    .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging)
    .WithHttpHealthCheck("/health");

var notification = builder.AddProject<Projects.CareMessaging_Notification>(ResourceNames.Notification)
    .WithReference(infrastructure.Redis).WaitFor(infrastructure.Redis)
    .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging)
    .WithHttpHealthCheck("/health");

var audit = builder.AddProject<Projects.CareMessaging_Audit>(ResourceNames.Audit)
    .WithReference(infrastructure.AuditDb).WaitFor(infrastructure.AuditDb)
    .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging)
    .WithHttpHealthCheck("/health");

var stats = builder.AddProject<Projects.CareMessaging_Stats>(ResourceNames.Stats)
    .WithReference(infrastructure.StatsDb).WaitFor(infrastructure.StatsDb)
    .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging)
    .WithHttpHealthCheck("/health");

// The front end, and the gateway in front of everything: the only public entry.
var web = builder.AddProject<Projects.CareMessaging_Web>(ResourceNames.Web)
    .WithReference(conversation).WaitFor(conversation)
    .WithReference(stats).WaitFor(stats)
    .WithReference(notification).WaitFor(notification)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.CareMessaging_Gateway>(ResourceNames.Gateway)
    .WithReference(web).WaitFor(web)
    .WithReference(identity).WaitFor(identity)
    .WithReference(conversation).WaitFor(conversation)
    .WithReference(notification).WaitFor(notification)
    .WithReference(audit).WaitFor(audit)
    .WithReference(stats).WaitFor(stats)
    .WithPublicEndpoint(builder.Configuration)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
