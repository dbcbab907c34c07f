using System.Net.Http.Json;
using CareMessaging.Contracts.Conversations;

namespace CareMessaging.Notification.Rebuild;

/// <summary>
/// Reads the Conversation service's read-model export (GET /api/conversations/internal/read-model)
/// page by page, as a service client with the <c>caremessaging.readmodel</c> scope.
/// </summary>
public sealed class ConversationReadModelClient(HttpClient http)
{
    public const string Path = "/api/conversations/internal/read-model";

    public async IAsyncEnumerable<ReadModelConversation> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var uri = cursor is null ? Path : $"{Path}?cursor={Uri.EscapeDataString(cursor)}";
            var page = await http.GetFromJsonAsync<ReadModelPage>(uri, cancellationToken)
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
