using Atlas.Bot.Feeds;
using Atlas.Bot.Feeds.WebSub;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Delivery;

/// <summary>What one poll did, for the caller's log and for tests.</summary>
public sealed record PollOutcome(string FeedId, string Result, int NewItems, int Distributed);

/// <summary>
/// One poll of one feed: read it, find the items not seen before, and record each new one together
/// with its deliveries (the outbox) before telling the dispatcher. Nothing here talks to Telegram.
/// </summary>
public sealed partial class FeedPoller(
    FeedSource source,
    Store store,
    Outbox outbox,
    OutboxSignal signal,
    IOptions<FeedsOptions> feeds,
    IOptions<DeliveryOptions> delivery,
    FeedUrls urls,
    BotMetrics metrics,
    AdminAlerts alerts,
    WebSubSubscriber websub,
    TimeProvider time,
    ILogger<FeedPoller> log)
{
    public async Task<PollOutcome> PollAsync(string feedId, CancellationToken ct)
    {
        var feed = feeds.Value.Find(feedId) ?? throw new InvalidOperationException($"Feed '{feedId}' is not configured.");
        var state = await store.GetFeedStateAsync(feed.Id, ct);
        var now = time.GetUtcNow();
        if (state.NextPollAfter is { } notBefore && now < notBefore)
        {
            LogBackingOff(feed.Id, state.ConsecutiveFailures, notBefore);
            return new PollOutcome(feed.Id, "backing off", 0, 0);
        }

        var previous = state.Initialized ? new FetchValidators(state.ETag, state.LastModified) : null;
        var started = time.GetTimestamp();
        var read = await source.ReadAsync(urls.Resolve(feed.Url), previous, feed.Zone, ct);
        metrics.FetchDuration(feed.Id, time.GetElapsedTime(started));
        switch (read)
        {
            case FeedReadResult.NotModified:
                await store.RecordPollNotModifiedAsync(feed.Id, time.GetUtcNow(), ct);
                metrics.PollCompleted(feed.Id, "not_modified");
                await alerts.FeedPolledAsync(feed.Id, succeeded: true, reason: null, failuresInARow: 0, ct);
                LogNotModified(feed.Id);
                return new PollOutcome(feed.Id, "not modified", 0, 0);

            case FeedReadResult.Failed failed:
                var failures = await store.RecordPollFailureAsync(feed.Id, failed.Reason, time.GetUtcNow(), NextAttempt, ct);
                metrics.PollCompleted(feed.Id, "failed", failed.Reason);
                await alerts.FeedPolledAsync(feed.Id, succeeded: false, failed.Reason, failures, ct);
                LogPollFailed(feed.Id, failed.Reason, failures);
                return new PollOutcome(feed.Id, "failed: " + failed.Reason, 0, 0);

            case FeedReadResult.Parsed parsed:
                // Validators are stored last: if we crash before this, the next poll refetches and finds the items again.
                var outcome = await RecordParsedAsync(feed, state, parsed.Feed, ct => store.RecordPollSuccessAsync(
                    feed.Id, parsed.Validators.ETag, parsed.Validators.LastModified, time.GetUtcNow(), ct), ct);
                await FollowHubAsync(feed, parsed.WebSub, ct);
                return outcome;

            default:
                throw new InvalidOperationException($"Unexpected read result {read}.");
        }

        // Failed polls back off whatever the schedule says.
        DateTimeOffset NextAttempt(int failures) => time.GetUtcNow() + SourceBackoff.After(failures);
    }

    /// <summary>
    /// A verified WebSub push of <paramref name="feedId"/>'s document: the same parse, identity and outbox as a poll,
    /// so an item pushed and polled (in either order) is posted once. A body that is no feed changes nothing: the feed's
    /// own polls say whether it is healthy.
    /// </summary>
    public async Task<PollOutcome> ReceivePushAsync(string feedId, byte[] body, string? charset, Uri baseUri, CancellationToken ct)
    {
        if (feeds.Value.Find(feedId) is not { } feed)
        {
            return new PollOutcome(feedId, "not configured", 0, 0);
        }

        var state = await store.GetFeedStateAsync(feed.Id, ct);
        switch (source.Parse(body, charset, baseUri, feed.Zone))
        {
            case FeedReadResult.Parsed parsed:
                return await RecordParsedAsync(feed, state, parsed.Feed, ct => store.RecordPushAsync(feed.Id, time.GetUtcNow(), ct), ct, pushed: true);
            case FeedReadResult.Failed failed:
                LogPushUnreadable(feed.Id, failed.Reason);
                return new PollOutcome(feed.Id, "push unreadable: " + failed.Reason, 0, 0);
            case var other:
                throw new InvalidOperationException($"Unexpected parse of a push: {other}.");
        }
    }

    private async Task<PollOutcome> RecordParsedAsync(
        FeedOptions feed, FeedState state, ParsedFeed parsed, Func<CancellationToken, Task> recordSuccess, CancellationToken ct, bool pushed = false)
    {
        var (found, distributed, edits) = await RecordNewItemsAsync(feed, state, parsed, ct);
        await recordSuccess(ct);
        if (distributed + edits > 0)
        {
            signal.Notify();
        }

        if (!pushed)
        {
            metrics.PollCompleted(feed.Id, found > 0 ? "new_items" : "no_new_items");
        }

        metrics.ItemsFound(feed.Id, found);
        await alerts.FeedPolledAsync(feed.Id, succeeded: true, reason: null, failuresInARow: 0, ct);

        LogPolled(feed.Id, parsed.Items.Count, found, distributed);
        return new PollOutcome(feed.Id, pushed ? "pushed" : "parsed", found, distributed);
    }

    private async Task<(int Found, int Distributed, int Edits)> RecordNewItemsAsync(FeedOptions feed, FeedState state, ParsedFeed parsed, CancellationToken ct)
    {
        foreach (var warning in parsed.Warnings)
        {
            LogFeedWarning(feed.Id, warning);
        }

        var known = await store.KnownItemKeysAsync(feed.Id, parsed.Items.Select(item => item.Id).ToList(), ct);
        var edits = await CorrectPostedItemsAsync(feed, [.. parsed.Items.Where(item => known.Contains(item.Id))], ct);
        var fresh = OldestFirst(parsed.Items.Where(item => !known.Contains(item.Id)).ToList());
        if (fresh.Count == 0)
        {
            return (0, 0, edits);
        }

        // First poll: what is already there is history, not news; only the newest Backfill items go out.
        var toDistribute = state.Initialized ? fresh : fresh.Skip(Math.Max(0, fresh.Count - feed.Backfill)).ToList();
        var history = fresh.Take(fresh.Count - toDistribute.Count).ToList();
        var now = time.GetUtcNow();
        if (history.Count > 0)
        {
            await store.RecordSeenItemsAsync(history.Select(item => Record(feed, item)), now, ct);
        }

        var distributed = 0;
        var channels = feed.ChannelEntries();
        foreach (var item in toDistribute)
        {
            if (await outbox.QueuePostAsync(Record(feed, item), PostFormatter.Format(item, feed.Language, feed.Zone), channels, feed.Silent, now, ct))
            {
                distributed++;
            }
        }

        return (fresh.Count, distributed, edits);
    }

    /// <summary>
    /// After a poll: a feed whose document or response names a hub gets pushed from then on (polling goes on as the safety
    /// net); a feed set to Off, or that stopped naming one, is let go. The subscriber does nothing without a public address,
    /// and nothing while a subscription is current or backing off, so this costs a lookup a poll.
    /// </summary>
    private async Task FollowHubAsync(FeedOptions feed, WebSubTopic? discovered, CancellationToken ct)
    {
        if (feed.WebSub == WebSubMode.Auto && discovered is { Hubs: [var hub, ..] })
        {
            // The first hub the feed names: the spec lets a subscriber choose, and one subscription is enough.
            await websub.EnsureSubscribedAsync(feed.Id, hub, discovered.Topic, ct);
        }
        else
        {
            await websub.UnsubscribeAsync(feed.Id, ct);
        }
    }

    /// <summary>
    /// Items already posted that changed in the feed within the edit window: their post is rendered again (with the date
    /// it was first published, so a moved date alone changes nothing) and compared with what was posted by what a reader
    /// sees. A change records the new post and queues an edit of each message showing the old one. Returns the edits queued.
    /// </summary>
    private async Task<int> CorrectPostedItemsAsync(FeedOptions feed, IReadOnlyList<FeedItem> knownItems, CancellationToken ct)
    {
        var settings = delivery.Value;
        if (settings.EditWindowDays == 0 || knownItems.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var byKey = knownItems.DistinctBy(item => item.Id).ToDictionary(item => item.Id, StringComparer.Ordinal);
        var edits = 0;
        foreach (var posted in await store.PostedItemsAsync(feed.Id, byKey.Keys, now - TimeSpan.FromDays(settings.EditWindowDays), ct))
        {
            var item = byKey[posted.Key];
            var source = SourceOf(item);
            if (posted.Source == source)
            {
                continue;
            }

            // Fingerprinted before topics (without its categories) and otherwise unchanged: only the fingerprint and the
            // topics are new, nothing a reader sees; re-rendering would turn a change of formatting into an edit.
            if (posted.Source == SourceOf(item, withCategories: false))
            {
                await store.KeepSourceAsync(posted.Seq, source, ItemTopics.Of(item.Categories, feed.Language), ct);
                continue;
            }

            // Recorded before fingerprints (the release before this one): adopt what the feed says now. Comparing a post
            // rendered by an older release with one rendered now would edit every recent post for a change of formatting.
            var post = PostFormatter.FormatRevision(item, posted.PublishedAt, feed.Language, feed.Zone);
            var changes = posted.Source is null ? PostChange.None : PostChanges.Between(posted.Post, post);
            if (changes == PostChange.None)
            {
                await store.KeepSourceAsync(posted.Seq, source, ItemTopics.Of(item.Categories, feed.Language), ct);
                continue;
            }

            var queued = await outbox.QueueCorrectionAsync(posted.Seq, Record(feed, item) with { PublishedAt = posted.PublishedAt }, post, settings.EditPrivateCopies, now, ct);
            edits += queued;
            LogCorrected(feed.Id, item.Title, changes, queued);
        }

        return edits;
    }

    /// <summary>
    /// Feeds list newest first; posts go out oldest first. Items are ordered by date where every new item
    /// has one, else by reverse document order (an undated item cannot be placed among dated ones).
    /// </summary>
    internal static List<FeedItem> OldestFirst(IReadOnlyList<FeedItem> items)
    {
        var reversed = items.Reverse().ToList();
        return reversed.TrueForAll(item => item.Published is not null)
            ? [.. reversed.OrderBy(item => item.Published)]
            : reversed;
    }

    private static ItemRecord Record(FeedOptions feed, FeedItem item) =>
        new(feed.Id, item.Id, item.Title, item.Link, item.Published, item.Author, feed.Language, SourceOf(item), ItemTopics.Of(item.Categories, feed.Language));

    /// <summary>
    /// A fingerprint of what the feed says that a post shows (its date aside: a moved date alone is no correction). It
    /// changes with any edit of the feed's fields, visible or not; the rendered post then says whether a reader would see it.
    /// Categories count only when there are any, so that an item without them keeps the fingerprint it was recorded with;
    /// a changed category alone changes no post, but its topics are kept anew (<see cref="Store.KeepSourceAsync"/>).
    /// </summary>
    private static string SourceOf(FeedItem item, bool withCategories = true) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Join('\u001f', [item.Title, item.Link, item.Author, item.ImageUrl, item.EnclosureUrl, item.SummaryHtml, item.ContentHtml,
                .. withCategories ? item.Categories : []]))))[..32];

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Feed {FeedId} polled: {Items} items, {New} new, {Distributed} queued for delivery")]
    private partial void LogPolled(string feedId, int items, int @new, int distributed);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Feed {FeedId} not modified")]
    private partial void LogNotModified(string feedId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Feed {FeedId} poll failed ({Failures} in a row): {Reason}")]
    private partial void LogPollFailed(string feedId, string reason, int failures);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Feed {FeedId} backing off after {Failures} failures until {NotBefore}")]
    private partial void LogBackingOff(string feedId, int failures, DateTimeOffset notBefore);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Feed {FeedId}: \"{Title}\" was corrected ({Changes}): {Edits} posts to edit")]
    private partial void LogCorrected(string feedId, string title, PostChange changes, int edits);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Feed {FeedId}: a verified push was not a readable feed: {Reason}")]
    private partial void LogPushUnreadable(string feedId, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Feed {FeedId}: {Warning}")]
    private partial void LogFeedWarning(string feedId, string warning);
}
