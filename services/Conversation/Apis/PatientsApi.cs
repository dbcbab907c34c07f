using System.Security.Claims;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Conversation.Access;
using CareMessaging.Conversation.Conversations;
using CareMessaging.Conversation.Patients;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CareMessaging.Conversation.Apis;

/// <summary>/api/patients: the patient directory as the caller may see it.</summary>
public static class PatientsApi
{
    public static RouteGroupBuilder MapPatientsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/patients").WithTags("Patients");

        api.MapGet("/", SearchPatients).WithSummary("Patients of the caller's care teams, by name or patient ID; each page recorded as a view");
        api.MapGet("/{patientId}", GetPatient).WithSummary("A patient's profile and conversations; recorded as a view")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<PatientView>>, ValidationProblem>> SearchPatients(
        [AsParameters] PatientServices services, ClaimsPrincipal user, string? q, string? limit, CancellationToken cancellationToken)
    {
        var validation = new RequestValidation();
        var search = validation.Search(q);
        var pageSize = validation.Limit(limit, ConversationLimits.DefaultPatientLimit, ConversationLimits.MaxPatientLimit);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }

        var caller = CareMessagingCaller.From(user);
        var patients = await services.Directory.SearchAsync(caller, search, pageSize, cancellationToken);
        await services.Access.PatientsShownAsync(caller, patients.Select(p => p.PatientId), searched: ConversationQueries.SearchPattern(search) is not null, cancellationToken);
        return TypedResults.Ok(patients);
    }

    public static async Task<Results<Ok<PatientProfile>, ProblemHttpResult>> GetPatient(
        [AsParameters] PatientServices services, ClaimsPrincipal user, string patientId, CancellationToken cancellationToken)
    {
        var caller = CareMessagingCaller.From(user);
        if (await services.Directory.ProfileAsync(caller, patientId, cancellationToken) is not { } found)
        {
            return OutcomeResults.NotFound("There is no such patient.");
        }

        await services.Access.PatientProfileViewedAsync(caller, found.Patient, cancellationToken);
        return TypedResults.Ok(found.Profile);
    }
}

/// <summary>What the patient handlers use, bundled for <c>[AsParameters]</c>.</summary>
public sealed class PatientServices(PatientDirectory directory, AccessEvents access)
{
    public PatientDirectory Directory { get; } = directory;

    public AccessEvents Access { get; } = access;
}
