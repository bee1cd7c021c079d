namespace Atlas.Bot.Delivery;

/// <summary>
/// Wakes the dispatcher when new deliveries are written, so a new post goes out at once instead of at
/// the dispatcher's next idle check. Many signals before the dispatcher looks collapse into one.
/// </summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the dispatcher will look once, and see everything.
        }
    }

    public void Dispose() => _signal.Dispose();

    /// <summary>Waits for a signal or the timeout, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutSource.Token);
        try
        {
            await _signal.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The timeout passed: time to look again anyway.
        }
    }
}
