using CareMessaging.Testing;

namespace CareMessaging.EventServiceTests.Infrastructure;

/// <summary>Polls until a condition holds or the event-delivery deadline passes; returns the last value either way.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TestTimeouts.EventDelivery);
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            value = await read();
        }

        return value;
    }
}
