using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.Contracts;
using CareMessaging.Contracts.Conversations;
using CareMessaging.Contracts.Notifications;
using CareMessaging.Contracts.Stats;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace CareMessaging.AppHost.Operations;

/// <summary>
/// The chores an operator does, as commands on the services in the dashboard: rebuild the unread
/// counters, rebuild the stats, verify the audit chain, prune the outbox now. Each calls the
/// service's internal route for it with a client-credentials token of the <c>operations</c>
/// client, which the Identity service grants only the operations scope; no route is open
/// without a token (ADR 0008).
/// </summary>
public static class OperatorCommands
{
    public const string OperationsClientId = "operations";

    public const string RebuildCounters = "rebuild-unread-counters";
    public const string RebuildStats = "rebuild-stats";
    public const string VerifyAuditChain = "verify-audit-chain";
    public const string PruneOutbox = "prune-outbox";

    // One client for every command: the calls are rare and go to this machine only.
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(5) };

    public static void AddOperatorCommands(
        IResourceBuilder<ProjectResource> identity,
        IResourceBuilder<ParameterResource> clientSecret,
        IResourceBuilder<ProjectResource> conversation,
        IResourceBuilder<ProjectResource> notification,
        IResourceBuilder<ProjectResource> audit,
        IResourceBuilder<ProjectResource> stats)
    {
        var tokens = new OperationsToken(identity.GetEndpoint("http"), clientSecret.Resource);

        notification.WithCommand(RebuildCounters, "Rebuild unread counters",
            context => CallAsync<CountersRebuildResult>(notification, tokens, HttpMethod.Post, "/api/notifications/internal/rebuild", context,
                result => (result.Complete, result.Complete
                    ? $"Unread counters rebuilt: {result.Conversations} conversations, {result.Readers} readers."
                    : $"The rebuild stopped early after {result.Conversations} conversations; it starts again by itself.")),
            Options("Recount every reader's unread messages from the Conversation service (Redis lost or wrong counters).", "ArrowSync"));

        stats.WithCommand(RebuildStats, "Rebuild stats",
            context => CallAsync<StatsRebuildResult>(stats, tokens, HttpMethod.Post, "/api/stats/internal/rebuild", context,
                result => (true, $"Stats rebuilt from {result.Conversations} conversations in {(result.CompletedAt - result.StartedAt).TotalSeconds:0.0} s.")),
            Options("Rebuild the dashboard figures from the Conversation service.", "ArrowSync"));

        audit.WithCommand(VerifyAuditChain, "Verify audit chain",
            context => CallAsync<JsonElement>(audit, tokens, HttpMethod.Get, "/api/audit/internal/verify", context, Verdict),
            Options("Check every record of the audit trail against its hash chain.", "ShieldCheckmark"));

        conversation.WithCommand(PruneOutbox, "Prune outbox now",
            context => CallAsync<OutboxPruneResult>(conversation, tokens, HttpMethod.Post, "/api/conversations/internal/outbox/prune", context,
                result => (true, $"Deleted {result.Deleted} sent outbox rows past their retention; unsent rows are kept.")),
            Options("Delete the sent outbox rows past Outbox:RetainSentFor now, instead of at the next round.", "Delete"));
    }

    private static (bool Success, string Message) Verdict(JsonElement verification)
    {
        var records = verification.GetProperty("recordsChecked").GetInt64();
        if (verification.GetProperty("valid").GetBoolean())
        {
            return (true, $"The audit chain is intact: {records} records checked.");
        }

        var broken = verification.TryGetProperty("firstBrokenRecordId", out var id) ? id.ToString() : "unknown";
        var problem = verification.TryGetProperty("problem", out var text) ? text.GetString() : null;
        return (false, $"The audit chain is broken at record {broken}: {problem}. See the runbook: the chain verification fails.");
    }

    private static CommandOptions Options(string description, string icon) => new()
    {
        Description = description,
        IconName = icon,
        // Only a service that is up can do the chore.
        UpdateState = context => context.ResourceSnapshot.State?.Text == KnownResourceStates.Running
            && context.ResourceSnapshot.HealthStatus == HealthStatus.Healthy
                ? ResourceCommandState.Enabled
                : ResourceCommandState.Disabled,
    };

    private static async Task<ExecuteCommandResult> CallAsync<T>(
        IResourceBuilder<ProjectResource> service,
        OperationsToken tokens,
        HttpMethod method,
        string path,
        ExecuteCommandContext context,
        Func<T, (bool Success, string Message)> describe)
    {
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(new Uri(service.GetEndpoint("http").Url), path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(context.CancellationToken));
            using var response = await Http.SendAsync(request, context.CancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return CommandResults.Failure($"{service.Resource.Name} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            var (success, message) = describe((await response.Content.ReadFromJsonAsync<T>(context.CancellationToken))!);
            if (success)
            {
                context.Logger.LogInformation("{Result}", message);
                return CommandResults.Success(message);
            }

            context.Logger.LogError("{Result}", message);
            return CommandResults.Failure(message);
        }
        catch (HttpRequestException exception)
        {
            return CommandResults.Failure($"{service.Resource.Name} could not be reached: {exception.Message}");
        }
    }

    /// <summary>The operations client's token from the Identity service, kept until shortly before it expires.</summary>
    private sealed class OperationsToken(EndpointReference identity, ParameterResource clientSecret)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private (string Token, DateTimeOffset RenewAt)? _current;

        public async Task<string> GetAsync(CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (_current is { } cached && DateTimeOffset.UtcNow < cached.RenewAt)
                {
                    return cached.Token;
                }

                var form = new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = OperationsClientId,
                    ["client_secret"] = await clientSecret.GetValueAsync(cancellationToken) ?? string.Empty,
                    ["scope"] = OAuthScopes.Operations,
                };
                using var response = await Http.PostAsync(new Uri(new Uri(identity.Url), "/identity/connect/token"), new FormUrlEncodedContent(form), cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw new HttpRequestException($"the Identity service refused the operations client a token ({(int)response.StatusCode})");
                }

                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                var token = body.RootElement.GetProperty("access_token").GetString()!;
                var lifetime = TimeSpan.FromSeconds(body.RootElement.GetProperty("expires_in").GetInt32());
                _current = (token, DateTimeOffset.UtcNow + lifetime - TimeSpan.FromSeconds(30));
                return token;
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
