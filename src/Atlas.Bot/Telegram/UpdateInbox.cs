using Atlas.Bot.Storage;
using Telegram.Bot.Types;

namespace Atlas.Bot.Telegram;

/// <summary>Where received updates go: stored first (nothing acts on an update before it is safe), then the processor is woken.</summary>
public sealed class UpdateInbox(Store store, InboxSignal signal, TimeProvider time)
{
    /// <param name="nextOffset">The getUpdates offset to store with them, in the same transaction; null for webhook updates.</param>
    public async Task AddAsync(IReadOnlyList<Update> updates, long? nextOffset, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(updates);
        await store.AddToInboxAsync([.. updates.Select(UpdateJson.ToInbox)], nextOffset, time.GetUtcNow(), ct);
        signal.Notify();
    }
}
