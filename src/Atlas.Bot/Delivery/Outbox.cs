using System.Globalization;
using Atlas.Bot.Feeds;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Delivery;

/// <summary>
/// What goes into the outbox, and for whom: the fan-out rule. Storage keeps the rows; the rules are here. A new
/// analysis goes to every configured channel of its feed and to each active subscriber who reads its language and, if
/// they chose topics, carries one of them; an announcement goes to every active subscriber, whatever they chose; an
/// answer goes to the one chat that asked, ahead of everything else.
/// </summary>
public sealed class Outbox(Store store)
{
    /// <summary>
    /// Records a new item with its deliveries (nothing if it was known); false when it was known already. Each channel
    /// entry gets the post, a forum topic in its topic; <paramref name="silent"/> sends the channels' posts without a sound
    /// (a subscriber's copy is silent by their quiet hours, decided as it goes out).
    /// </summary>
    public Task<bool> QueuePostAsync(ItemRecord item, Post post, IReadOnlyList<ChannelEntry> channels, bool silent, DateTimeOffset now, CancellationToken ct) =>
        store.RecordItemAsync(
            item,
            post,
            [.. channels.Select(channel => new Recipient(channel.Chat, DeliveryTargets.Channel, DeliveryPriorities.Channel, channel.ThreadId, silent))],
            new SubscriberFanOut(DeliveryTargets.Subscriber, DeliveryPriorities.Subscriber, item.Language, ChosenTopics: true),
            now,
            ct);

    /// <summary>Queues an answer (or an alert) to one chat; <paramref name="key"/> makes it idempotent. False when it was queued before.</summary>
    public Task<bool> QueueReplyAsync(string key, long chat, Post post, DateTimeOffset now, CancellationToken ct) =>
        store.EnqueueMessageAsync(key, new Recipient(chat.ToString(CultureInfo.InvariantCulture), DeliveryTargets.Reply, DeliveryPriorities.Reply), post, now, ct);

    /// <summary>Sends a confirmed announcement to every active subscriber, whatever they read; see <see cref="Store.ConfirmBroadcastAsync"/>.</summary>
    public Task<int?> ConfirmAnnouncementAsync(long seq, long confirmedBy, DateTimeOffset now, CancellationToken ct) =>
        store.ConfirmBroadcastAsync(seq, confirmedBy, new SubscriberFanOut(DeliveryTargets.Subscriber, DeliveryPriorities.Subscriber, Language: null), now, ct);

    /// <summary>Ends a subscription and drops the posts still waiting for it; null when it was not active.</summary>
    public Task<int?> EndSubscriptionAsync(long chat, string reason, DateTimeOffset now, CancellationToken ct) =>
        store.DeactivateAsync(chat, reason, DeliveryTargets.Subscriber, now, ct);

    /// <summary>A group became a supergroup: its deliveries and subscription follow it; see <see cref="Store.MigrateChatAsync"/>.</summary>
    public Task MoveChatAsync(string from, string to, DateTimeOffset now, CancellationToken ct) =>
        store.MigrateChatAsync(from, to, DeliveryTargets.Subscriber, now, ct);

    /// <summary>
    /// Claims due deliveries, replies first, then channels, then subscribers; an item's channels before its subscribers.
    /// A subscriber's delivery carries their quiet hours, for the dispatcher to judge when it sends.
    /// </summary>
    public Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(DateTimeOffset now, int max, TimeSpan lease, bool paused, CancellationToken ct) =>
        store.ClaimDueAsync(now, max, lease, leading: DeliveryTargets.Channel, DeliveryPriorities.Highest(paused), quietTarget: DeliveryTargets.Subscriber, ct);

    /// <summary>
    /// Records a correction of an item already posted and queues an edit of each of its channel and group messages (and
    /// of private copies with <paramref name="privateCopies"/>, after new posts). Returns how many edits were queued.
    /// </summary>
    public Task<int> QueueCorrectionAsync(long seq, ItemRecord item, Post post, bool privateCopies, DateTimeOffset now, CancellationToken ct) =>
        store.RecordCorrectionAsync(seq, item, post, Edits(privateCopies), now, ct);

    /// <summary>
    /// Records <paramref name="delivery"/> as sent; when its item was corrected while it was on its way (so it went out
    /// in the old version), queues its edit by the correction's rules. Returns whether an edit was queued.
    /// </summary>
    public Task<bool> MarkSentAsync(ClaimedDelivery delivery, int messageId, string? shownPhoto, bool privateCopies, DateTimeOffset now, CancellationToken ct) =>
        store.MarkPostSentAsync(delivery.Id, messageId, shownPhoto, delivery.Post, Edits(privateCopies), now, ct);

    /// <summary>Which sent messages a correction edits: channels' first, groups' always, private copies when asked, after new posts.</summary>
    private static CorrectionEdits Edits(bool privateCopies) =>
        new(DeliveryTargets.Channel, DeliveryPriorities.Channel, DeliveryTargets.Subscriber, DeliveryPriorities.SubscriberEdit, privateCopies);

    /// <summary>Leases a subscriber's whole backlog of posts, for a digest.</summary>
    public Task<(IReadOnlyList<BacklogEntry> Entries, string Language)> ClaimBacklogAsync(string chat, DateTimeOffset now, TimeSpan lease, CancellationToken ct) =>
        store.ClaimSubscriberBacklogAsync(chat, DeliveryTargets.Subscriber, now, lease, ct);

    /// <summary>An analysis taken down (/unpost): nothing of it still waiting is sent, posts and edits alike.</summary>
    public Task<CancelledDeliveries> CancelItemAsync(long itemSeq, DateTimeOffset now, CancellationToken ct) =>
        store.CancelItemDeliveriesAsync(itemSeq, "taken down", now, ct);

    /// <summary>
    /// A taken-down analysis's posts to delete: in its channels and in subscribed groups, where it was public. A copy in
    /// someone's private chat, or in a digest with other analyses, stays.
    /// </summary>
    public Task<ItemCopies> PostsToDeleteAsync(long itemSeq, CancellationToken ct) =>
        store.ItemCopiesAsync(itemSeq, DeliveryTargets.Channel, DeliveryTargets.Subscriber, ct);
}
