namespace CareMessaging.Conversation.Access;

/// <summary>What a command did, for the API to turn into a response.</summary>
public abstract record Outcome<T>
{
    /// <summary>Done; <paramref name="Created"/> is false when an earlier identical request had already done it.</summary>
    public sealed record Done(T Value, bool Created = false) : Outcome<T>;

    /// <summary>The caller cannot see it, or it does not exist: the two are told apart for nobody.</summary>
    public sealed record NotFound(string Detail) : Outcome<T>;

    public sealed record Conflict(string Detail) : Outcome<T>;

    /// <summary>The caller can see it but may not do this.</summary>
    public sealed record Forbidden(string Detail) : Outcome<T>;

    /// <summary>One field of the request is wrong.</summary>
    public sealed record Invalid(string Field, string Message) : Outcome<T>;
}
