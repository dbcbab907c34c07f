using System.Text.Json.Serialization;
using CareMessaging.Contracts;
using CareMessaging.Conversation.Access;
using CareMessaging.Conversation.Apis;
using CareMessaging.Conversation.Conversations;
using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Encryption;
using CareMessaging.Conversation.Messages;
using CareMessaging.Conversation.Outbox;
using CareMessaging.Conversation.Patients;
using CareMessaging.Conversation.ReadState;
using CareMessaging.Conversation.Seeding;
using CareMessaging.Conversation.Telemetry;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;

namespace CareMessaging.Conversation.Extensions;

internal static class Extensions
{
    public const string ApiTitle = "CareMessaging Conversation API";

    public static void AddConversationServices(this IHostApplicationBuilder builder)
    {
        // The context is pooled, so its options (and the interceptor in them) are built once; the
        // signal is the one the dispatcher waits on.
        var outboxSignal = new OutboxSignal();
        builder.Services.AddSingleton(outboxSignal);
        builder.AddNpgsqlDbContext<ConversationDbContext>(ResourceNames.ConversationDb,
            // Writes use explicit transactions with row locks, which EF's retrying strategy cannot
            // replay; a failed request is retried by its client with the same clientMessageId instead.
            settings => settings.DisableRetry = true,
            options => options.UseSnakeCaseNamingConvention().AddInterceptors(new OutboxCommitInterceptor(outboxSignal)));
        // Sends never wait on the broker: the outbox holds the events until it is back.
        builder.AddMessaging(ResourceNames.Conversation, readyWithoutBroker: true);
        builder.AddDefaultAuthentication(audience: ResourceNames.Conversation);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = ApiTitle;
            return Task.CompletedTask;
        }));

        // Bad input is answered with a ProblemDetails that names the field, never a bare 400 or a 500.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.Configure<JsonOptions>(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddHttpContextAccessor();

        builder.Services.AddOptions<EncryptionOptions>()
            .Bind(builder.Configuration.GetSection(EncryptionOptions.SectionName))
            .Validate(options => KeyRing.Problem(options) is null, "The encryption key ring is not configured correctly; see Encryption:ActiveKeyId and Encryption:Keys.")
            .ValidateOnStart();
        builder.Services.AddSingleton<KeyRing>();
        builder.Services.AddSingleton<ProtectedFields>();

        builder.Services.AddOptions<OutboxOptions>().Bind(builder.Configuration.GetSection(OutboxOptions.SectionName))
            .Validate(outbox => outbox.RetainSentFor > TimeSpan.Zero && outbox.PruneInterval > TimeSpan.Zero && outbox.PruneBatchSize > 0,
                "Outbox:RetainSentFor and Outbox:PruneInterval must be positive durations and Outbox:PruneBatchSize a positive number.")
            .Validate(outbox => outbox.BatchSize > 0 && outbox.MaxUnsentAge > TimeSpan.Zero && outbox.BacklogGrowthWindow > TimeSpan.Zero && outbox.BacklogThreshold >= 0,
                "Outbox:BatchSize must be a positive number, Outbox:MaxUnsentAge and Outbox:BacklogGrowthWindow positive durations, Outbox:BacklogThreshold zero or more.")
            .ValidateOnStart();
        builder.Services.AddScoped<OutboxWriter>();
        builder.Services.AddSingleton(_ => OutboxConnections.Create(
            builder.Configuration.GetConnectionString(ResourceNames.ConversationDb)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ResourceNames.ConversationDb} is not set.")));
        builder.Services.AddSingleton<OutboxBacklogHistory>();
        builder.Services.AddHealthChecks().AddCheck<OutboxHealthCheck>(OutboxHealthCheck.Name);
        builder.Services.AddHostedService<OutboxDispatcher>();
        // One pruner: the loop's, and the dashboard's prune-now command calls the same one.
        builder.Services.AddSingleton<OutboxPruner>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxPruner>());

        builder.Services.AddOptions<TelemetryOptions>().Bind(builder.Configuration.GetSection(TelemetryOptions.SectionName))
            .Validate(telemetry => telemetry.OutboxBacklogInterval > TimeSpan.Zero, "Telemetry:OutboxBacklogInterval must be a positive duration.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ConversationTelemetry>();
        builder.Services.AddHostedService<OutboxBacklogMonitor>();

        builder.Services.AddOptions<AccessOptions>().Bind(builder.Configuration.GetSection(AccessOptions.SectionName))
            .Validate(access => access.ViewWindow >= TimeSpan.Zero, "Access:ViewWindow must be a duration of zero or more (zero records every read of a thread).")
            .ValidateOnStart();
        builder.Services.AddMemoryCache();
        builder.Services.AddScoped<AccessEvents>();
        builder.Services.AddScoped<ConversationQueries>();
        builder.Services.AddScoped<ConversationCommands>();
        builder.Services.AddScoped<ReadModelExport>();
        builder.Services.AddScoped<MessageWriter>();
        builder.Services.AddScoped<MessageQueries>();
        builder.Services.AddScoped<ReadHorizons>();
        builder.Services.AddScoped<PatientDirectory>();
        builder.Services.AddScoped<DemoSeeder>();
    }

    public static void MapConversationOpenApi(this WebApplication app) =>
        app.MapOpenApi("/api/conversations/openapi/{documentName}.json").AllowAnonymous();
}
