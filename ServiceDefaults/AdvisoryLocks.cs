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

    /// <summary>Takes <paramref name="key"/> until the current transaction ends, waiting for it if another session holds it.</summary>
    public static Task LockForTransactionAsync(this DbContext db, long key, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);

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
