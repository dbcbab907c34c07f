using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CareMessaging.Conversation.Outbox;

/// <summary>
/// Wakes the dispatcher once outbox rows are committed, so no write has to remember to: a save
/// outside a transaction signals when it returns, a save inside an explicit transaction signals
/// when that transaction commits, and a rollback signals nothing. Only added rows count; the
/// dispatcher marking rows sent does not wake itself.
/// </summary>
public sealed class OutboxCommitInterceptor(OutboxSignal signal) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, State> _states = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Remember(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Remember(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => StateOf(eventData.Context)?.SavingRows = false;

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Forget(eventData.Context);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (StateOf(eventData.Context) is { AwaitingCommit: true } state)
        {
            state.AwaitingCommit = false;
            signal.Notify();
        }
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Forget(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Remember(DbContext? context)
    {
        if (context is not null)
        {
            _states.GetOrCreateValue(context).SavingRows =
                context.ChangeTracker.Entries<OutboxMessage>().Any(entry => entry.State == EntityState.Added);
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is null || StateOf(context) is not { SavingRows: true } state)
        {
            return;
        }

        state.SavingRows = false;
        if (context.Database.CurrentTransaction is null)
        {
            signal.Notify();
        }
        else
        {
            state.AwaitingCommit = true;
        }
    }

    // A transaction that starts, or ends without a commit, leaves nothing to announce; this also
    // clears what a pooled context might carry over from a transaction disposed uncommitted.
    private void Forget(DbContext? context) => StateOf(context)?.AwaitingCommit = false;

    private State? StateOf(DbContext? context) => context is not null && _states.TryGetValue(context, out var state) ? state : null;

    private sealed class State
    {
        public bool SavingRows { get; set; }

        public bool AwaitingCommit { get; set; }
    }
}
