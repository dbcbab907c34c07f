using CareMessaging.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Applies a service's EF Core migrations before it takes traffic, under an advisory lock: replicas
/// starting together migrate one after the other, and the later ones find nothing left to do
/// (EF Core's own migration lock did not keep two replicas from creating the same tables; ADR 0054).
/// A service whose everyday login may not change the schema (the audit writer) migrates with the
/// owner's connection string, <c>ConnectionStrings:&lt;database&gt;-owner</c>, when it is set.
/// </summary>
public static class DatabaseMigrations
{
    /// <summary>The suffix of the connection string that signs in as a database's owner.</summary>
    public const string OwnerSuffix = "-owner";

    /// <summary>
    /// A context of its own (not pooled, disposed with the scope) that signs in as the owner of
    /// <paramref name="databaseName"/> when <c>ConnectionStrings:&lt;database&gt;-owner</c> is set,
    /// else with the service's own connection string.
    /// </summary>
    public static TContext OwnerContext<TContext>(IServiceProvider services, string databaseName)
        where TContext : DbContext
    {
        var context = ActivatorUtilities.CreateInstance<TContext>(services);
        if (services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()[$"ConnectionStrings:{databaseName}{OwnerSuffix}"] is { Length: > 0 } owner)
        {
            context.Database.SetConnectionString(owner);
        }

        return context;
    }

    public static async Task MigrateDatabaseAsync<TContext>(this WebApplication app, CancellationToken cancellationToken = default)
        where TContext : DbContext =>
        await app.MigrateDatabaseAsync<TContext>(ownerOf: null, cancellationToken);

    /// <param name="ownerOf">The database whose owner's connection string, when set, migrates it.</param>
    public static async Task MigrateDatabaseAsync<TContext>(this WebApplication app, string? ownerOf, CancellationToken cancellationToken = default)
        where TContext : DbContext
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CareMessaging.Migrations");
        var attempt = 0;
        while (true)
        {
            try
            {
                await using var scope = app.Services.CreateAsyncScope();
                await using var owned = ownerOf is null ? null : OwnerContext<TContext>(scope.ServiceProvider, ownerOf);
                var context = owned ?? scope.ServiceProvider.GetRequiredService<TContext>();
                if (await context.Database.CanConnectAsync(cancellationToken))
                {
                    await context.RunExclusiveAsync(AdvisoryLocks.Migrations, async token =>
                    {
                        await MigrationsHistory.FollowNamingConventionAsync(context, token);
                        await MigrationsHistory.CreateIfMissingAsync(context, token);
                        await context.Database.MigrateAsync(token);
                    }, cancellationToken);
                }
                else
                {
                    // No database to hold a lock in yet: EF Core creates it (a test's own database).
                    await context.Database.MigrateAsync(cancellationToken);
                }
                logger.LogInformation("Database of {Context} is up to date", typeof(TContext).Name);
                return;
            }
            catch (Exception exception) when (++attempt < 10 && exception is not OperationCanceledException)
            {
                // The database may still be starting (a Kubernetes pod can start before it); wait and retry.
                logger.LogWarning("Migrating {Context} failed on attempt {Attempt}: {Reason}; retrying",
                    typeof(TContext).Name, attempt, exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(2 * attempt, 10)), cancellationToken);
            }
        }
    }
}
