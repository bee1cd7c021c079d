using System.Globalization;
using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests.Storage;

/// <summary>
/// The store's outbox calls with Delivery's rules filled in, exactly as the app makes them (<see cref="Outbox"/>): the
/// storage tests speak of posts for channels, replies and subscriptions, not of targets and priorities.
/// </summary>
public static class OutboxCalls
{
    /// <param name="channels">Channel entries as configured: "@channel", "-100123", "-100123/42" (a forum topic).</param>
    /// <param name="silent">As a feed with Silent=true posts to its channels.</param>
    public static Task<bool> RecordItemAsync(this Store store, ItemRecord item, Post post, IReadOnlyList<string> channels, DateTimeOffset now, CancellationToken ct, bool silent = false) =>
        new Outbox(store).QueuePostAsync(item, post, [.. channels.Select(Entry)], silent, now, ct);

    /// <summary>A channel entry as the configuration reads it, without its rules for names: tests name chats "@one".</summary>
    private static ChannelEntry Entry(string channel) =>
        channel.Split('/') is [var chat, var thread] ? new ChannelEntry(chat, int.Parse(thread, CultureInfo.InvariantCulture)) : new ChannelEntry(channel);

    public static Task<bool> EnqueueReplyAsync(this Store store, string key, string chat, Post post, DateTimeOffset now, CancellationToken ct) =>
        new Outbox(store).QueueReplyAsync(key, long.Parse(chat, CultureInfo.InvariantCulture), post, now, ct);

    public static Task<int?> ConfirmBroadcastAsync(this Store store, long seq, long confirmedBy, DateTimeOffset now, CancellationToken ct) =>
        new Outbox(store).ConfirmAnnouncementAsync(seq, confirmedBy, now, ct);

    public static Task<int?> DeactivateAsync(this Store store, long chat, string reason, DateTimeOffset now, CancellationToken ct) =>
        new Outbox(store).EndSubscriptionAsync(chat, reason, now, ct);

    public static Task MigrateChatAsync(this Store store, string from, string to, DateTimeOffset now, CancellationToken ct) =>
        new Outbox(store).MoveChatAsync(from, to, now, ct);

    /// <param name="paused">Claims as the dispatcher does while sending is paused: answers only.</param>
    public static Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(this Store store, DateTimeOffset now, int max, TimeSpan lease, CancellationToken ct, bool paused = false) =>
        new Outbox(store).ClaimDueAsync(now, max, lease, paused, ct);

    public static Task CloseDayAsync(this Store store, string day, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, CancellationToken ct) =>
        store.CloseDayAsync(day, from, to, DeliveryTargets.Channel, now, ct);
}
