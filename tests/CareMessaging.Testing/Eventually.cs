namespace CareMessaging.Testing;

/// <summary>
/// Polls until a condition holds or the deadline (event delivery by default) passes, and returns
/// the last value either way, so that the assertion after it reports what was seen.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TestTimeouts.EventDelivery);
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(PollInterval);
            value = await read();
        }

        return value;
    }
}
