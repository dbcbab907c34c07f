using System.Net.Http.Json;
using CareMessaging.Contracts.Conversations;

namespace CareMessaging.Clients;

/// <summary>
/// The Conversation service's API (conversations, messages, read state, patients) for a caller
/// whose token the <see cref="HttpClient"/> carries: the web front end relays the signed-in user's,
/// tests use their own. The service applies its access rules to every call.
/// </summary>
public sealed class ConversationsClient(HttpClient http)
{
    public const string ConversationsPath = "/api/conversations";
    public const string PatientsPath = "/api/patients";

    public Task<ApiResult<ConversationListPage>> ListAsync(
        ReadFilter filter = ReadFilter.All, string? search = null, string? cursor = null,
        int limit = ConversationLimits.DefaultListLimit, ConversationStatus? status = null, CancellationToken cancellationToken = default) =>
        GetAsync<ConversationListPage>(ConversationsPath + Query.Of(
            ("filter", filter == ReadFilter.All ? null : filter.ToString().ToLowerInvariant()),
            ("q", string.IsNullOrWhiteSpace(search) ? null : search.Trim()),
            ("status", status?.ToString().ToLowerInvariant()),
            ("cursor", cursor),
            ("limit", Query.Number(limit))), cancellationToken);

    public Task<ApiResult<DashboardCounts>> SummaryAsync(CancellationToken cancellationToken = default) =>
        GetAsync<DashboardCounts>($"{ConversationsPath}/summary", cancellationToken);

    /// <summary>Opens a conversation: its list item and latest messages. The service records the view for the audit trail.</summary>
    public Task<ApiResult<ConversationThread>> GetAsync(Guid conversationId, CancellationToken cancellationToken = default) =>
        GetAsync<ConversationThread>($"{ConversationsPath}/{conversationId}", cancellationToken);

    /// <summary>
    /// Messages before the sequence <paramref name="before"/> (history), or after <paramref name="after"/>
    /// (what arrived since the page last looked), or the latest.
    /// </summary>
    public Task<ApiResult<MessagePage>> MessagesAsync(
        Guid conversationId, long? before = null, long? after = null, int limit = ConversationLimits.DefaultMessageLimit,
        CancellationToken cancellationToken = default) =>
        GetAsync<MessagePage>($"{ConversationsPath}/{conversationId}/messages" + Query.Of(
            ("before", Query.Number(before)), ("after", Query.Number(after)), ("limit", Query.Number(limit))), cancellationToken);

    /// <summary>Starts a conversation with its first message; a repeat with the same client message id answers the same conversation.</summary>
    public Task<ApiResult<ConversationThread>> StartAsync(StartConversationRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<ConversationThread>(ConversationsPath, request, cancellationToken);

    public Task<ApiResult<MessageView>> SendAsync(Guid conversationId, SendMessageRequest request, CancellationToken cancellationToken = default) =>
        PostAsync<MessageView>($"{ConversationsPath}/{conversationId}/messages", request, cancellationToken);

    public Task<ApiResult<ReadStateView>> MarkReadAsync(Guid conversationId, Guid upToMessageId, CancellationToken cancellationToken = default) =>
        PostAsync<ReadStateView>($"{ConversationsPath}/{conversationId}/read", new MarkReadRequest(upToMessageId.ToString()), cancellationToken);

    /// <summary>Resolves, archives or reopens a conversation; answers it as the list shows it afterwards.</summary>
    public Task<ApiResult<ConversationListItem>> ChangeStatusAsync(Guid conversationId, StatusMove move, CancellationToken cancellationToken = default) =>
        PostAsync<ConversationListItem>($"{ConversationsPath}/{conversationId}/{move.ToString().ToLowerInvariant()}", body: null, cancellationToken);

    /// <summary>Patients the caller may see whose name or patient ID contains <paramref name="search"/>.</summary>
    public Task<ApiResult<IReadOnlyList<PatientView>>> PatientsAsync(
        string? search = null, int limit = ConversationLimits.DefaultPatientLimit, CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<PatientView>>(PatientsPath + Query.Of(
            ("q", string.IsNullOrWhiteSpace(search) ? null : search.Trim()), ("limit", Query.Number(limit))), cancellationToken);

    public Task<ApiResult<PatientProfile>> PatientAsync(string patientId, CancellationToken cancellationToken = default) =>
        GetAsync<PatientProfile>($"{PatientsPath}/{Uri.EscapeDataString(patientId)}", cancellationToken);

    private async Task<ApiResult<T>> GetAsync<T>(string url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken);
        return await ServiceResponses.ReadAsync<T>(response, cancellationToken);
    }

    private async Task<ApiResult<T>> PostAsync<T>(string url, object? body, CancellationToken cancellationToken)
    {
        using HttpContent content = body is null ? new StringContent(string.Empty) : JsonContent.Create(body, body.GetType(), options: ServiceResponses.Json);
        using var response = await http.PostAsync(url, content, cancellationToken);
        return await ServiceResponses.ReadAsync<T>(response, cancellationToken);
    }
}
