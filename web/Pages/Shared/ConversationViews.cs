using System.Globalization;
using CareMessaging.Contracts.Conversations;

namespace CareMessaging.Web.Pages.Shared;

/// <summary>A list of conversations as the inbox or the portal shows it, with the links its items and tabs need.</summary>
public sealed record ConversationListView(
    IReadOnlyList<ConversationListItem> Items,
    string? NextCursor,
    ReadFilter Filter,
    string? Query,
    Guid? SelectedId,
    bool ForStaff,
    string? SearchError = null)
{
    /// <summary>A search the service would refuse is answered here: the limit, and no results, never the earlier ones.</summary>
    public static string? SearchProblem(string? query) =>
        query?.Trim() is { Length: > ConversationLimits.SearchMaxLength } tooLong
            ? $"A search can be at most {ConversationLimits.SearchMaxLength} characters; this one has {tooLong.Length}. Search for a shorter part of the name, ID or topic."
            : null;

    public string BasePath => ForStaff ? "/inbox" : "/portal";

    public bool IsSearch => !string.IsNullOrWhiteSpace(Query);

    public string ConversationUrl(Guid id) => $"{BasePath}/{id}{ListQuery(Filter, cursor: null)}";

    public string FilterUrl(ReadFilter filter) => BasePath + ListQuery(filter, cursor: null);

    /// <summary>
    /// The next page as a link. A search's next page is a form posted with the search instead: what
    /// was searched for (often a patient's name) never appears in an address, a history or a log.
    /// </summary>
    public string? LoadMoreUrl => NextCursor is null || IsSearch ? null : BasePath + ListQuery(Filter, NextCursor);

    /// <summary>The query string that keeps the list's tab when a link is followed; never the search.</summary>
    public static string ListQuery(ReadFilter filter, string? cursor)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        if (filter != ReadFilter.All)
        {
            pairs.Add(new("filter", filter.ToString().ToLowerInvariant()));
        }

        if (!string.IsNullOrEmpty(cursor))
        {
            pairs.Add(new("cursor", cursor));
        }

        return QueryString.Create(pairs).ToString();
    }
}

/// <summary>An open conversation: its header, its messages and whether the reader may reply.</summary>
public sealed record ThreadView(
    ConversationListItem Conversation,
    IReadOnlyList<MessageView> Messages,
    long? EarlierBefore,
    bool ForStaff,
    string BackUrl)
{
    /// <summary>Archived conversations stay readable and searchable, and take no replies until reopened.</summary>
    public bool CanReply => Conversation.Status != ConversationStatus.Archived;

    /// <summary>The composer shows while replies are possible, and with a reply that failed, so its text is never lost.</summary>
    public bool ShowsComposer => CanReply || Draft is not null;

    public long LastSequence => Messages.Count > 0 ? Messages[^1].Sequence : 0;

    /// <summary>A reply that could not be sent, back in the composer with the reason beside it.</summary>
    public string? Draft { get; init; }

    public string? DraftError { get; init; }

    /// <summary>The composer's message id: a retry of a failed reply keeps it.</summary>
    public Guid ClientMessageId { get; init; } = Guid.NewGuid();

    /// <summary>Where the composer posts without a script: the page the conversation is open in.</summary>
    public string SendUrl => $"{(ForStaff ? "/inbox" : "/portal")}/{Conversation.Id}?handler=Send";
}

/// <summary>How messages name their sender and show their time.</summary>
public static class MessageDisplay
{
    /// <summary>"You" for the reader, "Patient · name" for the patient, the colleague's name otherwise.</summary>
    public static string SenderLabel(MessageView message) => message switch
    {
        { FromMe: true } => "You",
        { SenderKind: SenderKind.Patient } => string.IsNullOrWhiteSpace(message.SenderName) ? "Patient" : $"Patient · {message.SenderName}",
        _ => string.IsNullOrWhiteSpace(message.SenderName) ? "Care team" : message.SenderName,
    };

    public static string CssClass(MessageView message) =>
        "message" + (message.FromMe ? " message--mine" : string.Empty)
        + (message.SenderKind == SenderKind.Patient ? " message--patient" : string.Empty);

    public static string StatusText(ConversationStatus status) => status switch
    {
        ConversationStatus.Resolved => "Resolved",
        ConversationStatus.Archived => "Archived",
        _ => "Open",
    };

    public static string Plural(long count, string singular) =>
        count == 1 ? $"1 {singular}" : $"{count.ToString(CultureInfo.InvariantCulture)} {singular}s";
}
