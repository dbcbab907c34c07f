using System.Security.Claims;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Access;
using CareMessaging.Conversation.Conversations;
using CareMessaging.Conversation.Messages;
using CareMessaging.Conversation.Outbox;
using CareMessaging.Conversation.Paging;
using CareMessaging.Conversation.ReadState;
using CareMessaging.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CareMessaging.Conversation.Apis;

/// <summary>/api/conversations: the caller's conversations, their messages, read state and workflow.</summary>
public static class ConversationsApi
{
    public static RouteGroupBuilder MapConversationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/conversations").WithTags("Conversations");

        api.MapGet("/", ListConversations).WithSummary("The caller's conversations, latest activity first; each page recorded as a view");
        api.MapGet("/summary", GetSummary).WithSummary("The caller's four dashboard figures");
        api.MapPost("/", StartConversation).WithSummary("Start a conversation with its first message")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/{id:guid}", GetConversation).WithSummary("Open a conversation: its latest messages; recorded as a view")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:guid}/messages", GetMessages).WithSummary("Earlier messages (before) or new ones (after), in chronological order")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id:guid}/messages", SendMessage).WithSummary("Send a message")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id:guid}/read", MarkRead).WithSummary("Move the caller's read horizon forward")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id:guid}/resolve", Resolve).WithSummary("Resolve a conversation")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id:guid}/archive", Archive).WithSummary("Archive a conversation: read-only until reopened")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id:guid}/reopen", Reopen).WithSummary("Reopen a resolved or archived conversation")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/internal/read-model", ExportReadModel).WithSummary("Every conversation, for rebuilding read models")
            .RequireAuthorization(Policies.ReadModelExport);
        api.MapPost("/internal/outbox/prune", PruneOutbox).WithSummary("Delete the sent outbox rows past their retention now")
            .RequireAuthorization(Policies.Operations);
        return api;
    }

    public static async Task<Ok<OutboxPruneResult>> PruneOutbox(OutboxPruner pruner, IOptions<OutboxOptions> options, CancellationToken cancellationToken) =>
        TypedResults.Ok(new OutboxPruneResult(await pruner.PruneAsync(options.Value, cancellationToken)));

    public static async Task<Results<Ok<ConversationListPage>, ValidationProblem>> ListConversations(
        [AsParameters] ConversationServices services, ClaimsPrincipal user,
        string? filter, string? q, string? status, string? cursor, string? limit, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var request = new ListRequest(
            Filter: validation.Choice<ReadFilter>(filter, "filter") ?? ReadFilter.All,
            Search: validation.Search(q),
            Status: validation.Choice<ConversationStatus>(status, "status"),
            After: validation.Cursor<ListCursor>(cursor, "cursor"),
            Limit: validation.Limit(limit, ConversationLimits.DefaultListLimit, ConversationLimits.MaxListLimit));
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var caller = CareMessagingCaller.From(user);
        var page = await services.Queries.ListAsync(caller, request, cancellationToken);
        await services.Access.ConversationsShownAsync(
            caller, ConversationQueries.SearchPattern(request.Search) is null ? ListingKind.List : ListingKind.Search,
            page.Items.Select(item => (item.Id, item.PatientId)), cancellationToken);
        return TypedResults.Ok(page);
    }

    public static async Task<Ok<DashboardCounts>> GetSummary([AsParameters] ConversationServices services, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await services.Queries.SummaryAsync(CareMessagingCaller.From(user), cancellationToken));

    public static async Task<Results<Created<ConversationThread>, Ok<ConversationThread>, ValidationProblem, ProblemHttpResult>> StartConversation(
        [AsParameters] ConversationServices services, ClaimsPrincipal user, StartConversationRequest request, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var patientId = validation.Text(request.PatientId, "patientId", "The patient ID", 1, ConversationLimits.PatientIdMaxLength, trim: true);
        var topic = validation.Text(request.Topic, "topic", "The topic", ConversationLimits.TopicMinLength, ConversationLimits.TopicMaxLength, trim: true);
        var body = validation.MessageBody(request.Body);
        var clientMessageId = validation.ClientMessageId(request.ClientMessageId);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var caller = CareMessagingCaller.From(user);
        var outcome = await services.Commands.StartAsync(caller, patientId, topic, body, clientMessageId, cancellationToken);
        if (outcome is not Outcome<Guid>.Done done)
        {
            return OutcomeResults.Problem(outcome);
        }

        var thread = await services.Queries.ThreadAsync(caller, done.Value, cancellationToken)
            ?? throw new InvalidOperationException("A conversation just started is not visible to the caller who started it.");
        return done.Effect == Effect.Created
            ? TypedResults.Created($"/api/conversations/{thread.Id}", thread)
            : TypedResults.Ok(thread);
    }

    public static async Task<Results<Ok<ConversationThread>, ProblemHttpResult>> GetConversation(
        [AsParameters] ConversationServices services, ClaimsPrincipal user, Guid id, CancellationToken cancellationToken)
    {
        var caller = CareMessagingCaller.From(user);
        if (await services.Queries.ThreadAsync(caller, id, cancellationToken) is not { } thread)
        {
            return OutcomeResults.ConversationNotFound();
        }

        await services.Access.ThreadOpenedAsync(caller, new ConversationKeys(thread.Id, thread.PatientId, thread.CareTeamId), cancellationToken);
        return TypedResults.Ok(thread);
    }

    public static async Task<Results<Ok<MessagePage>, ValidationProblem, ProblemHttpResult>> GetMessages(
        [AsParameters] ConversationServices services, ClaimsPrincipal user, Guid id,
        string? before, string? after, string? limit, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var request = new MessagePageRequest(
            Before: validation.Cursor<MessageCursor>(before, "before"),
            After: validation.Cursor<MessageCursor>(after, "after"),
            Limit: validation.Limit(limit, ConversationLimits.DefaultMessageLimit, ConversationLimits.MaxMessageLimit));
        if (request is { Before: not null, After: not null })
        {
            validation.Add("after", "Give before (to page back) or after (to fetch what is new), not both.");
        }

        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var caller = CareMessagingCaller.From(user);
        if (await services.Queries.FindAsync(caller, id, cancellationToken) is not { } conversation)
        {
            return OutcomeResults.ConversationNotFound();
        }

        var page = await services.Messages.PageAsync(id, caller.UserId, request, cancellationToken);
        await services.Access.MessagesReadAsync(caller, conversation, cancellationToken);
        return TypedResults.Ok(page);
    }

    public static async Task<Results<Created<MessageView>, Ok<MessageView>, ValidationProblem, ProblemHttpResult>> SendMessage(
        [AsParameters] ConversationServices services, ClaimsPrincipal user, Guid id, SendMessageRequest request, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var body = validation.MessageBody(request.Body);
        var clientMessageId = validation.ClientMessageId(request.ClientMessageId);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var outcome = await services.Commands.SendAsync(CareMessagingCaller.From(user), id, body, clientMessageId, cancellationToken);
        return outcome switch
        {
            Outcome<MessageView>.Done { Effect: Effect.Created } done => TypedResults.Created($"/api/conversations/{id}/messages", done.Value),
            Outcome<MessageView>.Done done => TypedResults.Ok(done.Value),
            _ => OutcomeResults.Problem(outcome),
        };
    }

    public static async Task<Results<Ok<ReadStateView>, ValidationProblem, ProblemHttpResult>> MarkRead(
        [AsParameters] ConversationServices services, ClaimsPrincipal user, Guid id, MarkReadRequest request, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        if (!Guid.TryParse(request.UpToMessageId, out var upToMessageId))
        {
            validation.Add("upToMessageId", "Give the id of the last message read.");
            return validation.Problem();
        }

        var outcome = await services.ReadHorizons.MarkReadAsync(CareMessagingCaller.From(user), id, upToMessageId, cancellationToken);
        return outcome is Outcome<ReadStateView>.Done done ? TypedResults.Ok(done.Value) : OutcomeResults.Problem(outcome);
    }

    public static Task<Results<Ok<ConversationListItem>, ProblemHttpResult>> Resolve(
        [AsParameters] ConversationServices services, ClaimsPrincipal user, Guid id, CancellationToken cancellationToken) =>
        ChangeStatusAsync(services, user, id, ConversationStatus.Resolved, cancellationToken);

    public static Task<Results<Ok<ConversationListItem>, ProblemHttpResult>> Archive(
        [AsParameters] ConversationServices services, ClaimsPrincipal user, Guid id, CancellationToken cancellationToken) =>
        ChangeStatusAsync(services, user, id, ConversationStatus.Archived, cancellationToken);

    public static Task<Results<Ok<ConversationListItem>, ProblemHttpResult>> Reopen(
        [AsParameters] ConversationServices services, ClaimsPrincipal user, Guid id, CancellationToken cancellationToken) =>
        ChangeStatusAsync(services, user, id, ConversationStatus.Open, cancellationToken);

    public static async Task<Results<Ok<ReadModelPage>, ValidationProblem>> ExportReadModel(
        [AsParameters] ConversationServices services, ClaimsPrincipal user, string? cursor, string? limit, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var after = validation.Cursor<ExportCursor>(cursor, "cursor");
        var pageSize = validation.Limit(limit, ConversationLimits.DefaultExportLimit, ConversationLimits.MaxExportLimit);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var page = await services.Export.PageAsync(after, pageSize, cancellationToken);
        await services.Access.ConversationsShownAsync(
            CareMessagingCaller.From(user), ListingKind.Export, page.Items.Select(item => (item.ConversationId, item.PatientId)), cancellationToken);
        return TypedResults.Ok(page);
    }

    /// <summary>The workflow moves answer the conversation as the list shows it afterwards, changed or not.</summary>
    private static async Task<Results<Ok<ConversationListItem>, ProblemHttpResult>> ChangeStatusAsync(
        ConversationServices services, ClaimsPrincipal user, Guid id, ConversationStatus target, CancellationToken cancellationToken)
    {
        var caller = CareMessagingCaller.From(user);
        var outcome = await services.Commands.ChangeStatusAsync(caller, id, target, cancellationToken);
        if (outcome is not Outcome<ConversationStatus>.Done)
        {
            return OutcomeResults.Problem(outcome);
        }

        return await services.Queries.GetAsync(caller, id, cancellationToken) is { } current
            ? TypedResults.Ok(current.Item)
            : OutcomeResults.ConversationNotFound();
    }
}

/// <summary>What the conversation handlers use, bundled for <c>[AsParameters]</c>.</summary>
public sealed class ConversationServices(
    ConversationQueries queries,
    ConversationCommands commands,
    MessageQueries messages,
    ReadHorizons readHorizons,
    ReadModelExport export,
    AccessEvents access)
{
    public ConversationQueries Queries { get; } = queries;

    public ConversationCommands Commands { get; } = commands;

    public MessageQueries Messages { get; } = messages;

    public ReadHorizons ReadHorizons { get; } = readHorizons;

    public ReadModelExport Export { get; } = export;

    public AccessEvents Access { get; } = access;
}
