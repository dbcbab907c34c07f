using System.Security.Claims;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Access;
using CareMessaging.Conversation.Conversations;
using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Messages;
using CareMessaging.Conversation.ReadState;
using CareMessaging.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CareMessaging.Conversation.Apis;

/// <summary>/api/conversations: the caller's conversations, their messages, read state and workflow.</summary>
public static class ConversationsApi
{
        public static RouteGroupBuilder MapConversationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/conversations").WithTags("Conversations");

        api.MapGet("/", ListConversations).WithSummary("The caller's conversations, latest activity first");
        api.MapGet("/summary", GetSummary).WithSummary("The caller's four dashboard figures");
        api.MapPost("/", StartConversation).WithSummary("Start a conversation with its first message")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/{id:guid}", GetConversation).WithSummary("A conversation with its latest messages")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id:guid}/messages", GetMessages).WithSummary("Earlier messages, in chronological order")
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
        return api;
    }

    public static async Task<Results<Ok<ConversationListPage>, ValidationProblem>> ListConversations(
        [AsParameters] ConversationServices services, ClaimsPrincipal user,
        string? filter, string? q, string? status, string? cursor, string? limit, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var readFilter = validation.Choice<ReadFilter>(filter, "filter", ReadFilter.All)!.Value;
        var statusFilter = validation.Choice<ConversationStatus>(status, "status");
        var pageSize = validation.Limit(limit, ConversationLimits.DefaultListLimit, ConversationLimits.MaxListLimit);
        if (q?.Trim() is { Length: > ConversationLimits.SearchMaxLength })
        {
            validation.Add("q", $"A search can be at most {ConversationLimits.SearchMaxLength} characters.");
        }

        ListCursor? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (ListCursor.TryDecode(cursor, out var decoded))
            {
                after = decoded;
            }
            else
            {
                validation.Add("cursor", "The cursor is not one this API returned. Start again without a cursor.");
            }
        }

        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var page = await services.Queries.ListAsync(Viewer.From(user), new ListRequest(readFilter, q, statusFilter, after, pageSize), cancellationToken);
        return TypedResults.Ok(page);
    }

    public static async Task<Ok<DashboardCounts>> GetSummary([AsParameters] ConversationServices services, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await services.Queries.SummaryAsync(Viewer.From(user), cancellationToken));

    public static async Task<Results<Created<ConversationThread>, Ok<ConversationThread>, ValidationProblem, ProblemHttpResult>> StartConversation(
        [AsParameters] ConversationServices services, ClaimsPrincipal user, StartConversationRequest request, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var patientId = validation.Text(request.PatientId, "patientId", "The patient ID", 1, ConversationLimits.PatientIdMaxLength, trim: true);
        var topic = validation.Text(request.Topic, "topic", "The topic", ConversationLimits.TopicMinLength, ConversationLimits.TopicMaxLength, trim: true);
        var body = ValidateBody(validation, request.Body);
        var clientMessageId = ValidateClientMessageId(validation, request.ClientMessageId);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var viewer = Viewer.From(user);
        var outcome = await services.Commands.StartAsync(viewer, patientId, topic, body, clientMessageId, cancellationToken);
        if (outcome is not Outcome<Guid>.Done done)
        {
            return Problem(outcome);
        }

        var thread = await BuildThreadAsync(services, viewer, done.Value, cancellationToken)
            ?? throw new InvalidOperationException("A conversation just started is not visible to the caller who started it.");
        return done.Created
            ? TypedResults.Created($"/api/conversations/{thread.Id}", thread)
            : TypedResults.Ok(thread);
    }

    public static async Task<Results<Ok<ConversationThread>, ProblemHttpResult>> GetConversation(
        [AsParameters] ConversationServices services, ClaimsPrincipal user, Guid id, CancellationToken cancellationToken)
    {
        var viewer = Viewer.From(user);
        var thread = await BuildThreadAsync(services, viewer, id, cancellationToken);
        if (thread is null)
        {
            return ConversationNotFound();
        }

        await RecordViewAsync(services, viewer, id, cancellationToken);
        return TypedResults.Ok(thread);
    }

    public static async Task<Results<Ok<MessagePage>, ValidationProblem, ProblemHttpResult>> GetMessages(
        [AsParameters] ConversationServices services, ClaimsPrincipal user, Guid id, string? before, string? limit, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var pageSize = validation.Limit(limit, ConversationLimits.DefaultMessageLimit, ConversationLimits.MaxMessageLimit);
        long? beforeSequence = null;
        if (!string.IsNullOrWhiteSpace(before))
        {
            if (long.TryParse(before, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence) && sequence > 0)
            {
                beforeSequence = sequence;
            }
            else
            {
                validation.Add("before", "Use the sequence number of a message (nextBefore of the previous page).");
            }
        }

        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var viewer = Viewer.From(user);
        if (await services.Queries.GetAsync(viewer, id, cancellationToken) is null)
        {
            return ConversationNotFound();
        }

        var page = await services.Messages.PageAsync(id, viewer.UserId, beforeSequence, pageSize, cancellationToken);
        await RecordViewAsync(services, viewer, id, cancellationToken);
        return TypedResults.Ok(page);
    }

    public static async Task<Results<Created<MessageView>, Ok<MessageView>, ValidationProblem, ProblemHttpResult>> SendMessage(
        [AsParameters] ConversationServices services, ClaimsPrincipal user, Guid id, SendMessageRequest request, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var body = ValidateBody(validation, request.Body);
        var clientMessageId = ValidateClientMessageId(validation, request.ClientMessageId);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var outcome = await services.Commands.SendAsync(Viewer.From(user), id, body, clientMessageId, cancellationToken);
        return outcome switch
        {
            Outcome<MessageView>.Done { Created: true } done => TypedResults.Created($"/api/conversations/{id}/messages", done.Value),
            Outcome<MessageView>.Done done => TypedResults.Ok(done.Value),
            _ => Problem(outcome),
        };
    }

    public static async Task<Results<Ok<ReadStateView>, ValidationProblem, ProblemHttpResult>> MarkRead(
        [AsParameters] ConversationServices services, ClaimsPrincipal user, Guid id, MarkReadRequest request, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(request.UpToMessageId, out var upToMessageId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["upToMessageId"] = ["Give the id of the last message read."],
            });
        }

        var outcome = await services.ReadHorizons.MarkReadAsync(Viewer.From(user), id, upToMessageId, cancellationToken);
        return outcome switch
        {
            Outcome<ReadStateView>.Done done => TypedResults.Ok(done.Value),
            Outcome<ReadStateView>.Invalid invalid => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [invalid.Field] = [invalid.Message] }),
            _ => Problem(outcome),
        };
    }

    public static Task<Results<Ok<ConversationListItem>, ProblemHttpResult>> Resolve(
        [AsParameters] ConversationServices services, ClaimsPrincipal user, Guid id, CancellationToken cancellationToken) =>
        ChangeStatusAsync(services, user, id, services.Commands.ResolveAsync, cancellationToken);

    public static Task<Results<Ok<ConversationListItem>, ProblemHttpResult>> Archive(
        [AsParameters] ConversationServices services, ClaimsPrincipal user, Guid id, CancellationToken cancellationToken) =>
        ChangeStatusAsync(services, user, id, services.Commands.ArchiveAsync, cancellationToken);

    public static Task<Results<Ok<ConversationListItem>, ProblemHttpResult>> Reopen(
        [AsParameters] ConversationServices services, ClaimsPrincipal user, Guid id, CancellationToken cancellationToken) =>
        ChangeStatusAsync(services, user, id, services.Commands.ReopenAsync, cancellationToken);

    public static async Task<Results<Ok<ReadModelPage>, ValidationProblem>> ExportReadModel(
        [AsParameters] ConversationServices services, string? cursor, string? limit, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var pageSize = validation.Limit(limit, ConversationLimits.DefaultExportLimit, ConversationLimits.MaxExportLimit);
        Guid? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (Guid.TryParseExact(cursor, "N", out var id))
            {
                after = id;
            }
            else
            {
                validation.Add("cursor", "The cursor is not one this API returned. Start again without a cursor.");
            }
        }

        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        return TypedResults.Ok(await services.Export.PageAsync(after, pageSize, cancellationToken));
    }

    private static async Task<Results<Ok<ConversationListItem>, ProblemHttpResult>> ChangeStatusAsync(
        ConversationServices services, ClaimsPrincipal user, Guid id,
        Func<Viewer, Guid, CancellationToken, Task<Outcome<ConversationStatus>>> change, CancellationToken cancellationToken)
    {
        var viewer = Viewer.From(user);
        var outcome = await change(viewer, id, cancellationToken);
        if (outcome is not Outcome<ConversationStatus>.Done)
        {
            return Problem(outcome);
        }

        var current = await services.Queries.GetAsync(viewer, id, cancellationToken);
        return current is { } found ? TypedResults.Ok(found.Item) : ConversationNotFound();
    }

    private static async Task<ConversationThread?> BuildThreadAsync(ConversationServices services, Viewer viewer, Guid id, CancellationToken cancellationToken)
    {
        if (await services.Queries.GetAsync(viewer, id, cancellationToken) is not { } found)
        {
            return null;
        }

        var messages = await services.Messages.PageAsync(id, viewer.UserId, before: null, ConversationLimits.DefaultMessageLimit, cancellationToken);
        return new ConversationThread(found.Item, found.CreatedBy, found.CreatedByKind, found.ReadUpToSequence, messages);
    }

    private static async Task RecordViewAsync(ConversationServices services, Viewer viewer, Guid id, CancellationToken cancellationToken)
    {
        var conversation = await services.Db.Conversations.FindAsync([id], cancellationToken)
            ?? throw new InvalidOperationException("The conversation disappeared while it was viewed.");
        services.Access.ConversationViewed(viewer, conversation);
        await services.Db.SaveChangesAsync(cancellationToken);
        services.Outbox.Notify();
    }

    private static string ValidateBody(RequestValidation validation, string? body)
    {
        if (body is not null && body.Length > ConversationLimits.BodyMaxLength)
        {
            validation.Add("body", $"A message can be at most {ConversationLimits.BodyMaxLength} characters; this one has {body.Length}. Split it into several messages.");
            return body;
        }

        return validation.Text(body, "body", "The message", 1, ConversationLimits.BodyMaxLength, trim: false);
    }

    private static string ValidateClientMessageId(RequestValidation validation, string? clientMessageId) =>
        validation.Text(clientMessageId, "clientMessageId", "A client message id (a new random id per message, repeated only on retries)",
            1, ConversationLimits.ClientMessageIdMaxLength, trim: true);

    internal static ProblemHttpResult ConversationNotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no such conversation.");

    internal static ProblemHttpResult Problem<T>(Outcome<T> outcome) => outcome switch
    {
        Outcome<T>.NotFound notFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: notFound.Detail),
        Outcome<T>.Conflict conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: conflict.Detail),
        Outcome<T>.Forbidden forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: forbidden.Detail),
        Outcome<T>.Invalid invalid => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request", detail: $"{invalid.Field}: {invalid.Message}"),
        _ => throw new InvalidOperationException($"{outcome.GetType().Name} is not a problem."),
    };
}

/// <summary>What the conversation handlers use, bundled for <c>[AsParameters]</c>.</summary>
public sealed class ConversationServices(
    ConversationQueries queries,
    ConversationCommands commands,
    MessageQueries messages,
    ReadHorizons readHorizons,
    ReadModelExport export,
    AccessEvents access,
    Outbox.OutboxWriter outbox,
    ConversationDbContext db)
{
    public ConversationQueries Queries { get; } = queries;

    public ConversationCommands Commands { get; } = commands;

    public MessageQueries Messages { get; } = messages;

    public ReadHorizons ReadHorizons { get; } = readHorizons;

    public ReadModelExport Export { get; } = export;

    public AccessEvents Access { get; } = access;

    public Outbox.OutboxWriter Outbox { get; } = outbox;

    public ConversationDbContext Db { get; } = db;
}
