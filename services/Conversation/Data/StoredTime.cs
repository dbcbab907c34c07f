namespace CareMessaging.Conversation.Data;

/// <summary>The service's one notion of "now" for anything it stores.</summary>
public static class StoredTime
{
    /// <summary>
    /// Now, cut to the microsecond PostgreSQL keeps, so a value written and read back compares
    /// equal, and a time an API answers with is the time a later query sees.
    /// </summary>
    public static DateTimeOffset StoredUtcNow(this TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.UtcTicks % 10));
    }
}
