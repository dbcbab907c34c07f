namespace CareMessaging.Conversation.Outbox;

/// <summary>Wakes the dispatcher when new events were committed (see <see cref="OutboxCommitInterceptor"/>).</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        if (_semaphore.CurrentCount == 0)
        {
            try
            {
                _semaphore.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller woke the dispatcher at the same moment; once is enough.
            }
        }
    }

    /// <summary>Waits until notified or until <paramref name="timeout"/> passes; true when notified.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);
}
