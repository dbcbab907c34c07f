using System.Net.Http.Json;
using System.Text.Json;
using CareMessaging.Contracts.Conversations;

namespace CareMessaging.Web.Api;

/// <summary>
/// The Conversation service's API (conversations, messages, read state, patients), called with the
/// signed-in user's access token so that the service applies its own access rules to every call.
/// </summary>
public sealed class ConversationsClient(HttpClient http)
{
    /// <summary>The most conversations the service returns in one page.</summary>
    public const int MaxPageSize = 100;

    public async Task<ApiResult<ConversationPage>> ListAsync(
        ListFilter filter, string? query, string? cursor, int limit, CancellationToken cancellationToken = default)
    {
        var url = QueryString.Create(new Dictionary<string, string?>
        {
            ["filter"] = filter.ToString().ToLowerInvariant(),
            ["q"] = string.IsNullOrWhiteSpace(query) ? null : query.Trim(),
            ["cursor"] = string.IsNullOrEmpty(cursor) ? null : cursor,
            ["limit"] = Math.Clamp(limit, 1, MaxPageSize).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Where(pair => pair.Value is not null));
        return await GetAsync<ConversationPage>("/api/conversations" + url, cancellationToken);
    }

    public Task<ApiResult<ConversationThread>> GetAsync(Guid conversationId, CancellationToken cancellationToken = default) =>
        GetAsync<ConversationThread>($"/api/conversations/{conversationId}", cancellationToken);

    public Task<ApiResult<MessagePage>> MessagesAsync(Guid conversationId, long? before, int limit, CancellationToken cancellationToken = default)
    {
        var query = before is { } sequence ? $"?before={sequence}&limit={limit}" : $"?limit={limit}";
        return GetAsync<MessagePage>($"/api/conversations/{conversationId}/messages{query}", cancellationToken);
    }

    public Task<ApiResult<DashboardCounts>> SummaryAsync(CancellationToken cancellationToken = default) =>
        GetAsync<DashboardCounts>("/api/conversations/summary", cancellationToken);

    /// <summary>Starts a conversation with its first message; answers the new conversation's id.</summary>
    public async Task<ApiResult<Guid>> StartAsync(StartConversationRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("/api/conversations", request, ServiceResponses.Json, cancellationToken);
        var body = await ServiceResponses.ReadAsync<JsonElement>(response, cancellationToken);
        if (!body.Succeeded)
        {
            return body.Problem!;
        }

        // The id is the conversation's own, or that of the conversation the answer wraps.
        if (TryReadId(body.Value, out var id) || body.Value.ValueKind == JsonValueKind.Object
            && body.Value.TryGetProperty("conversation", out var conversation) && TryReadId(conversation, out id))
        {
            return new ApiResult<Guid>(id, null);
        }

        if (response.Headers.Location is { } location && Guid.TryParse(location.OriginalString.Split('/')[^1], out id))
        {
            return new ApiResult<Guid>(id, null);
        }

        return new ApiProblem(StatusCodes.Status502BadGateway, "The conversation service answered without an id.", null, ApiProblem.Empty);
    }

    public async Task<ApiResult<MessageItem>> SendAsync(Guid conversationId, SendMessageRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", request, ServiceResponses.Json, cancellationToken);
        return await ServiceResponses.ReadAsync<MessageItem>(response, cancellationToken);
    }

    public async Task<ApiResult<JsonElement>> MarkReadAsync(Guid conversationId, Guid upToMessageId, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/read", new MarkReadRequest(upToMessageId), ServiceResponses.Json, cancellationToken);
        return await ServiceResponses.ReadAsync<JsonElement>(response, cancellationToken);
    }

    /// <summary>Resolves, archives or reopens a conversation.</summary>
    public async Task<ApiResult<JsonElement>> ChangeStatusAsync(Guid conversationId, StatusAction action, CancellationToken cancellationToken = default)
    {
        using var content = new StringContent(string.Empty);
        using var response = await http.PostAsync($"/api/conversations/{conversationId}/{action.ToString().ToLowerInvariant()}", content, cancellationToken);
        return await ServiceResponses.ReadAsync<JsonElement>(response, cancellationToken);
    }

    /// <summary>Patients of the caller's care teams whose name or patient ID contains <paramref name="query"/>.</summary>
    public async Task<ApiResult<IReadOnlyList<PatientSummary>>> PatientsAsync(string? query, CancellationToken cancellationToken = default)
    {
        var url = string.IsNullOrWhiteSpace(query) ? "/api/patients" : "/api/patients" + QueryString.Create("q", query.Trim());
        var result = await GetAsync<JsonElement>(url, cancellationToken);
        if (!result.Succeeded)
        {
            return result.Problem!;
        }

        // A plain array, or a page with items.
        var items = result.Value.ValueKind == JsonValueKind.Object && result.Value.TryGetProperty("items", out var page) ? page : result.Value;
        return new ApiResult<IReadOnlyList<PatientSummary>>(items.Deserialize<List<PatientSummary>>(ServiceResponses.Json) ?? [], null);
    }

    public async Task<ApiResult<PatientProfile>> PatientAsync(string patientId, CancellationToken cancellationToken = default)
    {
        var result = await GetAsync<JsonElement>($"/api/patients/{Uri.EscapeDataString(patientId)}", cancellationToken);
        if (!result.Succeeded)
        {
            return result.Problem!;
        }

        // The profile either nests the patient or carries its fields beside the conversations.
        var body = result.Value;
        var patient = body.TryGetProperty("patient", out var nested) ? nested : body;
        var conversations = body.TryGetProperty("conversations", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.Deserialize<List<ConversationSummary>>(ServiceResponses.Json) ?? []
            : body.TryGetProperty("conversations", out list) && list.TryGetProperty("items", out var items)
                ? items.Deserialize<List<ConversationSummary>>(ServiceResponses.Json) ?? []
                : [];
        return new ApiResult<PatientProfile>(new PatientProfile
        {
            Patient = patient.Deserialize<PatientSummary>(ServiceResponses.Json)!,
            Conversations = conversations,
        }, null);
    }

    private async Task<ApiResult<T>> GetAsync<T>(string url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken);
        return await ServiceResponses.ReadAsync<T>(response, cancellationToken);
    }

    private static bool TryReadId(JsonElement element, out Guid id)
    {
        id = default;
        return element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var value)
            && value.ValueKind == JsonValueKind.String && value.TryGetGuid(out id);
    }
}

/// <summary>The workflow moves staff can make on a conversation.</summary>
public enum StatusAction
{
    Resolve,
    Archive,
    Reopen,
}
