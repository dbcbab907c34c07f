using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CareMessaging.ServiceDefaults;

/// <summary>
/// Lets a service database adopt the snake_case naming convention after it was first migrated
/// without it. The convention renames the columns of EF Core's own history table as well
/// (<c>MigrationId</c> becomes <c>migration_id</c>), but no migration can rename them: EF Core reads
/// the history before it applies any. So before migrating, when the context expects the snake_case
/// names and the table still has the defaults, the columns are renamed here, once.
/// </summary>
public static class MigrationsHistory
{
    private const string RenameToSnakeCase = """
        DO $$
        BEGIN
            IF EXISTS (SELECT 1 FROM information_schema.columns
                       WHERE table_schema = current_schema() AND table_name = '__EFMigrationsHistory' AND column_name = 'MigrationId') THEN
                -- Replicas starting together: the first renames, the others then find nothing to do.
                LOCK TABLE "__EFMigrationsHistory" IN ACCESS EXCLUSIVE MODE;
                IF EXISTS (SELECT 1 FROM information_schema.columns
                           WHERE table_schema = current_schema() AND table_name = '__EFMigrationsHistory' AND column_name = 'MigrationId') THEN
                    ALTER TABLE "__EFMigrationsHistory" RENAME COLUMN "MigrationId" TO migration_id;
                    ALTER TABLE "__EFMigrationsHistory" RENAME COLUMN "ProductVersion" TO product_version;
                    IF EXISTS (SELECT 1 FROM pg_constraint
                               WHERE conname = 'PK___EFMigrationsHistory' AND conrelid = '"__EFMigrationsHistory"'::regclass) THEN
                        ALTER TABLE "__EFMigrationsHistory" RENAME CONSTRAINT "PK___EFMigrationsHistory" TO pk___ef_migrations_history;
                    END IF;
                END IF;
            END IF;
        END
        $$
        """;

    /// <summary>
    /// Creates the history table before EF Core first reads it. EF Core reads it before it knows
    /// whether it exists and logs the "relation does not exist" of a fresh database as a failed
    /// command, an error every first start would show on the dashboard (dotnet/efcore#37328).
    /// </summary>
    public static async Task CreateIfMissingAsync(DbContext context, CancellationToken cancellationToken) =>
        await context.Database.ExecuteSqlRawAsync(context.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);

    /// <summary>Renames the history table's default columns when <paramref name="context"/> reads snake_case ones; otherwise does nothing.</summary>
    public static async Task FollowNamingConventionAsync(DbContext context, CancellationToken cancellationToken)
    {
        // The script EF Core would write to record a migration names the columns it expects.
        var insert = context.GetService<IHistoryRepository>().GetInsertScript(new HistoryRow("probe", "probe"));
        // A database that does not exist yet is created by the migration, its history with it.
        if (insert.Contains("migration_id", StringComparison.Ordinal) && await context.Database.CanConnectAsync(cancellationToken))
        {
            await context.Database.ExecuteSqlRawAsync(RenameToSnakeCase, cancellationToken);
        }
    }
}
