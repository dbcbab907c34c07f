using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using CareMessaging.Contracts.Conversations;

namespace CareMessaging.Clients;

/// <summary>
/// Reads the Conversation service's read-model export (GET /api/conversations/internal/read-model)
/// page by page, for the Notification and Stats services rebuilding their read models. The
/// <see cref="HttpClient"/> carries a client-credentials token with the <c>caremessaging.readmodel</c> scope.
/// </summary>
public sealed class ReadModelExportClient(HttpClient http)
{
    public const string Path = "/api/conversations/internal/read-model";

    public async IAsyncEnumerable<ReadModelConversation> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await http.GetFromJsonAsync<ReadModelPage>(Path + Query.Of(("cursor", cursor)), ServiceResponses.Json, cancellationToken)
                ?? throw new InvalidOperationException("The read-model export answered with an empty body.");
            foreach (var conversation in page.Items)
            {
                yield return conversation;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }
}
