using CareMessaging.Contracts;
using CareMessaging.Contracts.Stats;
using CareMessaging.ServiceDefaults;
using CareMessaging.Stats.ReadModel;
using CareMessaging.Stats.Rebuild;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CareMessaging.Stats.Apis;

/// <summary>The dashboard figures for the caller, and the rebuild an administrator can ask for.</summary>
public static class StatsApi
{
    public static RouteGroupBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/stats").WithTags("Stats");
        api.MapGet("", GetStats).RequireAuthorization(policy => policy.RequireClaim(CareMessagingClaims.Role, [.. Roles.CareTeamRoles, Roles.Patient]));
        api.MapPost("/rebuild", Rebuild).RequireAuthorization(Policies.Admin);
        return api;
    }

    /// <summary>Staff see their care teams' figures and each team's responsiveness; a patient sees their own figures.</summary>
    public static async Task<Results<Ok<StatsResponse>, ForbidHttpResult>> GetStats(HttpContext http, StatsQueries queries, CancellationToken cancellationToken)
    {
        var user = http.User;
        var userId = user.FindFirst(CareMessagingClaims.Subject)?.Value;
        var isPatient = user.HasClaim(CareMessagingClaims.Role, Roles.Patient);
        var patientId = isPatient ? user.FindFirst(CareMessagingClaims.PatientId)?.Value : null;
        string[] careTeams = isPatient ? [] : [.. user.FindAll(CareMessagingClaims.CareTeam).Select(c => c.Value).Distinct()];
        if (userId is null || (isPatient && patientId is null))
        {
            return TypedResults.Forbid();
        }

        var scope = new CallerScope(userId, careTeams, patientId);
        var figures = await queries.GetFiguresAsync(scope, cancellationToken);
        var teams = await queries.GetTeamsAsync(careTeams, cancellationToken);
        return TypedResults.Ok(new StatsResponse(figures.TotalConversations, figures.UnreadMessages, figures.UniquePatients, figures.TotalMessages, teams));
    }

    public static async Task<Ok<StatsRebuildResult>> Rebuild(StatsRebuilder rebuilder, CancellationToken cancellationToken) =>
        TypedResults.Ok(await rebuilder.RebuildAsync(cancellationToken));
}

