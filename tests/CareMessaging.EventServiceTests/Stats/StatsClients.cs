using CareMessaging.Clients;
using CareMessaging.Contracts.Stats;
using CareMessaging.EventServiceTests.Infrastructure;
using CareMessaging.Stats.ReadModel;

namespace CareMessaging.EventServiceTests.Stats;

/// <summary>GET /api/stats as a test user, through the services' shared <see cref="StatsClient"/>.</summary>
internal static class StatsApiCalls
{
    public static async Task<StatsResponse> GetStatsAsync(this ServiceFactory<StatsStore> stats, TestUser caller)
    {
        using var client = stats.CreateClient(caller);
        var result = await new StatsClient(client).GetAsync();
        return result.Value ?? throw new InvalidOperationException($"GET {StatsClient.Path} answered {result.Problem!.Status}: {result.Problem.Title}");
    }
}
