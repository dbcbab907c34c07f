namespace CareMessaging.ServiceDefaults.Outages;

/// <summary>
/// A server a request may need that can be down or restarting. A request that fails because one of
/// them does not answer is a 503 naming it (<see cref="OutageExceptionHandler"/>), never a 500.
/// </summary>
public enum Dependency
{
    /// <summary>The service's own PostgreSQL database.</summary>
    Database,

    /// <summary>Redis: the unread counters, the gateway's sessions.</summary>
    Redis,

    /// <summary>RabbitMQ, for the events a request publishes itself.</summary>
    MessageBroker,

    /// <summary>Another CareMessaging service called over HTTP.</summary>
    Service,
}

/// <summary>
/// Thrown by code that bounded a call to a dependency itself (a publish with a deadline) and gave up;
/// answered like any other outage of <see cref="Dependency"/>.
/// </summary>
public sealed class DependencyUnavailableException(Dependency dependency, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public Dependency Dependency { get; } = dependency;
}
