using Atlas.Bot.Storage;

namespace Atlas.Bot.Delivery;

/// <summary>
/// /pause and /resume: while paused, posts wait in the outbox (polling goes on) and only replies to
/// people are sent. The state survives restarts.
/// </summary>
public sealed class DeliverySwitch(Store store, OutboxSignal signal)
{
    private const string Key = "paused";
    private volatile bool _paused;

    public bool Paused => _paused;

    /// <summary>Reads the stored state; called once at start.</summary>
    public async Task LoadAsync(CancellationToken ct) => _paused = await store.GetStateAsync(Key, ct) == "1";

    public async Task SetPausedAsync(bool paused, CancellationToken ct)
    {
        await store.SetStateAsync(Key, paused ? "1" : "0", ct);
        _paused = paused;
        signal.Notify();
    }
}
