using Microsoft.EntityFrameworkCore;

namespace CareMessaging.ServiceDefaults;

/// <summary>
/// Every PostgreSQL advisory lock key the services take, in one registry, so that no two jobs
/// share a key by accident. A key is held per database: the same number in two services' databases
/// would not collide, but each key here still names exactly one job. Singletons (seeding,
/// pruning, purging, rebuilding) take their key so that any replica may run them and only one does.
/// </summary>
public static class AdvisoryLocks
{
    /// <summary>Conversation: the demo seed, taken for its transaction (two replicas starting together seed one after the other).</summary>
    public const long DemoSeed = 7_242_031;

    /// <summary>Conversation: pruning sent outbox rows, one replica at a time.</summary>
    public const long OutboxPrune = 7_242_032;

    /// <summary>
    /// Audit: the hash chain. The append trigger takes it for each insert (its number is written in
    /// migration TamperEvidentTrail's SQL as well); the retention purge holds it to keep appends out.
    /// </summary>
    public const long AuditChain = 7_263_510_001;

    /// <summary>Every service: applying its migrations, one replica at a time (see DatabaseMigrations).</summary>
    public const long Migrations = 7_200_000_001;

    /// <summary>Identity: registering the OpenID Connect clients and scopes and seeding the demo accounts at start.</summary>
    public const long IdentityStartup = 7_220_000_001;

    /// <summary>
    /// Takes <paramref name="key"/> until the current transaction ends, waiting for it if another
    /// session holds it, for as long as that takes: the wait is bounded by
    /// <paramref name="cancellationToken"/>, not by the command timeout, because the other replica
    /// may be in the middle of a long seed or purge on a busy node.
    /// </summary>
    public static async Task LockForTransactionAsync(this DbContext db, long key, CancellationToken cancellationToken) =>
        await WithoutCommandTimeoutAsync(db, () => db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken));

    /// <summary>
    /// Runs <paramref name="work"/> while this session holds <paramref name="key"/>, waiting for it as
    /// <see cref="LockForTransactionAsync"/> does. The lock belongs to the connection, which stays
    /// open meanwhile, so work that manages its own transactions (EF Core's migrations) is covered.
    /// </summary>
    public static async Task RunExclusiveAsync(this DbContext db, long key, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await WithoutCommandTimeoutAsync(db, () => db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({key})", cancellationToken));
            try
            {
                await work(cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({key})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<T> WithoutCommandTimeoutAsync<T>(DbContext db, Func<Task<T>> command)
    {
        var timeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout(0);
        try
        {
            return await command();
        }
        finally
        {
            db.Database.SetCommandTimeout(timeout);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> while this session holds <paramref name="key"/>, or returns
    /// <c>default</c> at once when another session holds it. The lock belongs to the connection, so a
    /// replica that dies releases it with its session.
    /// </summary>
    public static async Task<(bool Ran, T Result)> TryRunExclusiveAsync<T>(
        this DbContext db, long key, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var taken = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({key}) AS \"Value\"").SingleAsync(cancellationToken);
            if (!taken)
            {
                return (false, default!);
            }

            try
            {
                return (true, await work(cancellationToken));
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({key})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
