using CareMessaging.AppHost.Infrastructure.Processes;
using CareMessaging.Contracts;

namespace CareMessaging.AppHost.Infrastructure;

/// <summary>
/// The gateway's session store: a Redis of its own, apart from the cache the Notification service
/// keeps in <see cref="ResourceNames.Redis"/>, so that flushing or evicting the cache signs nobody
/// out (docs/decisions/0027). It persists what it holds (append-only file, fsync every second) and
/// never evicts. In external mode it is <c>ConnectionStrings:sessions</c>; an existing deployment
/// without one can point it at the same server as the cache, with a warning in the ADR.
/// </summary>
public static class SessionStore
{
    public static IResourceBuilder<IResourceWithConnectionString> AddSessionStore(this IDistributedApplicationBuilder builder, InfrastructureMode mode) =>
        mode switch
        {
            InfrastructureMode.Processes => builder.AddRedisProcess(ResourceNames.Sessions, LocalState.Open(builder.Configuration, builder.AppHostDirectory))
                .WithEnvironment("CM_REDIS_DATA", ResourceNames.Sessions),
            InfrastructureMode.Containers => builder.AddRedis(ResourceNames.Sessions).WithDataVolume().WithPersistence(TimeSpan.FromSeconds(1)),
            _ => builder.AddConnectionString(ResourceNames.Sessions),
        };
}
