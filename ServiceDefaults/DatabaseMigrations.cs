using CareMessaging.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Applies a service's EF Core migrations before it takes traffic. EF Core takes a database
/// lock while migrating, so several replicas starting together apply each migration once.
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
                await MigrationsHistory.FollowNamingConventionAsync(context, cancellationToken);
                await context.Database.MigrateAsync(cancellationToken);
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
