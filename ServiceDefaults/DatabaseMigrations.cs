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
/// </summary>
public static class DatabaseMigrations
{
    public static async Task MigrateDatabaseAsync<TContext>(this WebApplication app, CancellationToken cancellationToken = default)
        where TContext : DbContext
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CareMessaging.Migrations");
        var attempt = 0;
        while (true)
        {
            try
            {
                await using var scope = app.Services.CreateAsyncScope();
                var context = scope.ServiceProvider.GetRequiredService<TContext>();
                if (await context.Database.CanConnectAsync(cancellationToken))
                {
                    await context.RunExclusiveAsync(AdvisoryLocks.Migrations, async token =>
                    {
                        await MigrationsHistory.FollowNamingConventionAsync(context, token);
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
