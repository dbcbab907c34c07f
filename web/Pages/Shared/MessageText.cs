using CareMessaging.Contracts.Conversations;

namespace CareMessaging.Web.Pages.Shared;

/// <summary>
/// A message's text as it is stored and counted. A browser posts each line break in a form as two
/// characters (CR LF) while its text box counts one; the text is stored with one, so that the limit
/// the composer counts down is the limit the message is held to, with or without a script.
/// </summary>
public static class MessageText
{
    public static string? AsStored(string? text) => text?.Replace("\r\n", "\n", StringComparison.Ordinal);

    public static string TooLong(int length) =>
        $"A message can be at most {ConversationLimits.BodyMaxLength} characters; this one has {length}. Shorten it or split it into several messages.";
}
