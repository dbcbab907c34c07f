using System.Security.Claims;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Access;
using CareMessaging.Conversation.Data;
using CareMessaging.Conversation.Outbox;
using CareMessaging.Conversation.Patients;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CareMessaging.Conversation.Apis;

/// <summary>/api/patients: the patient directory as the caller may see it.</summary>
public static class PatientsApi
{
    public static RouteGroupBuilder MapPatientsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/patients").WithTags("Patients");

        api.MapGet("/", SearchPatients).WithSummary("Patients of the caller's care teams, by name or patient ID");
        api.MapGet("/{patientId}", GetPatient).WithSummary("A patient's profile and conversations")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<PatientView>>, ValidationProblem>> SearchPatients(
        [AsParameters] PatientServices services, ClaimsPrincipal user, string? q, string? limit, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var pageSize = validation.Limit(limit, ConversationLimits.DefaultPatientLimit, ConversationLimits.MaxPatientLimit);
        if (q?.Trim() is { Length: > ConversationLimits.SearchMaxLength })
        {
            validation.Add("q", $"A search can be at most {ConversationLimits.SearchMaxLength} characters.");
        }

        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        return TypedResults.Ok(await services.Directory.SearchAsync(Viewer.From(user), q, pageSize, cancellationToken));
    }

    public static async Task<Results<Ok<PatientProfile>, ProblemHttpResult>> GetPatient(
        [AsParameters] PatientServices services, ClaimsPrincipal user, string patientId, CancellationToken cancellationToken)
    {
        var viewer = Viewer.From(user);
        if (await services.Directory.ProfileAsync(viewer, patientId, cancellationToken) is not { } found)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no such patient.");
        }

        services.Access.PatientProfileViewed(viewer, found.Patient);
        await services.Db.SaveChangesAsync(cancellationToken);
        services.Outbox.Notify();
        return TypedResults.Ok(found.Profile);
    }
}

/// <summary>What the patient handlers use, bundled for <c>[AsParameters]</c>.</summary>
public sealed class PatientServices(PatientDirectory directory, AccessEvents access, OutboxWriter outbox, ConversationDbContext db)
{
    public PatientDirectory Directory { get; } = directory;

    public AccessEvents Access { get; } = access;

    public OutboxWriter Outbox { get; } = outbox;

    public ConversationDbContext Db { get; } = db;
}
