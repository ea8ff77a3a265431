namespace RestMan.Messaging;

/// <summary>Wakes the outbox relay at once; <c>tx.Publish</c> rings it after its transaction commits.</summary>
internal sealed class OutboxSignal
{
    // At most one pending wake-up: many commits during one relay round need only one more round.
    private readonly SemaphoreSlim _wakeUp = new(0, 1);

    public void Notify()
    {
        try
        {
            _wakeUp.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is already pending.
        }
    }

    /// <summary>Waits for <see cref="Notify"/> or the poll interval, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan pollInterval, CancellationToken ct) => _wakeUp.WaitAsync(pollInterval, ct);
}
