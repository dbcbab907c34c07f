namespace CareMessaging.Conversation.Conversations;

/// <summary>What a change to a conversation did; <c>Apis/OutcomeResults</c> turns it into the response.</summary>
public abstract record Outcome<T>
{
    /// <summary>The request succeeded; <paramref name="Effect"/> says whether it changed anything.</summary>
    public sealed record Done(T Value, Effect Effect) : Outcome<T>;

    /// <summary>The caller cannot see it, or it does not exist: the two are told apart for nobody.</summary>
    public sealed record NotFound(string Detail) : Outcome<T>;

    /// <summary>The request contradicts the conversation's state or an earlier request.</summary>
    public sealed record Conflict(string Detail) : Outcome<T>;

    /// <summary>The caller can see it but may not do this.</summary>
    public sealed record Forbidden(string Detail) : Outcome<T>;

    /// <summary>One field of the request is wrong.</summary>
    public sealed record Invalid(string Field, string Message) : Outcome<T>;
}

/// <summary>What a successful request did to the stored state.</summary>
public enum Effect
{
    /// <summary>A new conversation or message was stored.</summary>
    Created,

    /// <summary>The same request (same sender and clientMessageId) had already created it; nothing was added.</summary>
    Repeated,

    /// <summary>The state moved (a status, a read horizon) and the change was published.</summary>
    Changed,

    /// <summary>The state was already as asked; nothing was stored or published.</summary>
    Unchanged,
}
