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
        api.MapGet("", GetStats).RequireAuthorization(Policies.Participant);
        api.MapPost("/rebuild", Rebuild).RequireAuthorization(Policies.Admin);
        api.MapPost("/internal/rebuild", Rebuild).RequireAuthorization(Policies.Operations);
        return api;
    }

    /// <summary>
    /// Staff see their care teams' figures and each team's responsiveness; a patient sees their own
    /// figures. A token holding a care-team role and the patient role is staff, as in every service.
    /// </summary>
    public static async Task<Results<Ok<StatsResponse>, ForbidHttpResult>> GetStats(HttpContext http, StatsQueries queries, CancellationToken cancellationToken)
    {
        var caller = CareMessagingCaller.From(http.User);
        if (caller.UserId.Length == 0)
        {
            return TypedResults.Forbid();
        }

        var scope = new CallerScope(caller.UserId, [.. caller.CareTeams], caller.PatientId);
        var figures = await queries.GetFiguresAsync(scope, cancellationToken);
        var teams = await queries.GetTeamsAsync(caller.CareTeams, cancellationToken);
        return TypedResults.Ok(new StatsResponse(figures.TotalConversations, figures.UnreadMessages, figures.UniquePatients, figures.TotalMessages, teams));
    }

    public static async Task<Ok<StatsRebuildResult>> Rebuild(StatsRebuilder rebuilder, CancellationToken cancellationToken) =>
        TypedResults.Ok(await rebuilder.RebuildAsync(cancellationToken));
}

