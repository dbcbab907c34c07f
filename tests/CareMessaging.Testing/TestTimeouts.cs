namespace CareMessaging.Testing;

/// <summary>Upper bounds for awaits in tests; a test that waits longer has found a fault.</summary>
public static class TestTimeouts
{
    /// <summary>Starting the whole stack on a two-core build agent, including first-run database setup.</summary>
    public static readonly TimeSpan StackStart = TimeSpan.FromMinutes(5);

    /// <summary>One resource restarting, or infrastructure alone starting.</summary>
    public static readonly TimeSpan ResourceStart = TimeSpan.FromMinutes(2);

    /// <summary>An event crossing the broker and being applied.</summary>
    public static readonly TimeSpan EventDelivery = TimeSpan.FromSeconds(30);

    /// <summary>One HTTP call.</summary>
    public static readonly TimeSpan Request = TimeSpan.FromSeconds(60);
}
