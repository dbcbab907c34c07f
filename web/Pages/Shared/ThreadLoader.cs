using CareMessaging.Clients;
using CareMessaging.Contracts.Conversations;

namespace CareMessaging.Web.Pages.Shared;

/// <summary>Opens a conversation for reading: loads it and marks everything shown as read.</summary>
public sealed partial class ThreadLoader(ConversationsClient conversations, ILogger<ThreadLoader> logger)
{
    public async Task<ApiResult<ThreadView>> OpenAsync(Guid conversationId, bool forStaff, string backUrl, CancellationToken cancellationToken)
    {
        var loaded = await conversations.GetAsync(conversationId, cancellationToken);
        if (!loaded.Succeeded)
        {
            return loaded.Problem!;
        }

        var thread = loaded.Value!;
        var messages = thread.Messages.Items;
        ConversationListItem conversation = thread;
        if (messages.Count > 0 && (conversation.UnreadCount > 0 || messages[^1].Sequence > thread.ReadUpToSequence))
        {
            // Opening a conversation reads it: the horizon moves to the latest message shown.
            var read = await conversations.MarkReadAsync(conversationId, messages[^1].Id, cancellationToken);
            if (read.Succeeded)
            {
                conversation = conversation with { UnreadCount = 0 };
            }
            else
            {
                LogMarkReadFailed(logger, conversationId, read.Problem!.Status);
            }
        }

        return ApiResult<ThreadView>.Success(new ThreadView(conversation, messages, thread.Messages.NextBefore, forStaff, backUrl));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Marking conversation {ConversationId} read answered {Status}")]
    private static partial void LogMarkReadFailed(ILogger logger, Guid conversationId, int status);
}
