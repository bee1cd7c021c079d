using System.Data.Common;
using Atlas.Bot.Posts;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Delivery;

/// <summary>
/// Sends what the outbox holds. It claims the oldest due delivery of each chat (leased, so a crash hands
/// it back), waits for the governor's go, sends, and records the result — a delivery is marked sent only
/// after Telegram confirmed it. This is the one place that decides what a send result means.
/// Of several replicas only the one leading <see cref="Leadership.DeliveryDispatcher"/> sends, so Telegram's limits
/// hold for all of them together with one governor's strictness (docs/replicas.md).
/// </summary>
public sealed partial class Dispatcher(
    Store store,
    Outbox outbox,
    ITelegramSender sender,
    RateGovernor governor,
    OutboxSignal signal,
    DeliverySwitch deliverySwitch,
    BotMetrics metrics,
    AdminAlerts alerts,
    Leadership leadership,
    IOptions<DeliveryOptions> options,
    IOptions<RateLimits> limits,
    IOptions<TrackingOptions> tracking,
    StatsDays days,
    TimeProvider time,
    ILogger<Dispatcher> log) : BackgroundService
{
    /// <summary>How long an in-flight send may take to finish once shutdown begins.</summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);

    /// <summary>The longest pause between two tries to record a confirmed send.</summary>
    private static readonly TimeSpan MaxRecordDelay = TimeSpan.FromSeconds(5);

    /// <summary>How long the loop lets finished sends add up before it claims for fewer than a batch of free slots.</summary>
    private static readonly TimeSpan ClaimPause = TimeSpan.FromMilliseconds(250);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leadership.RunAsync(Leadership.DeliveryDispatcher, SendWhileLeadingAsync, stoppingToken);

    /// <param name="stoppingToken">Cancelled at shutdown or when the lease is lost: both stop claiming, and sends on the wire get <see cref="ShutdownGrace"/>.</param>
    private async Task SendWhileLeadingAsync(CancellationToken stoppingToken)
    {
        if (!await RememberRecentSendsAsync(stoppingToken))
        {
            return;
        }

        var settings = options.Value;
        var lease = TimeSpan.FromSeconds(settings.LeaseSeconds);
        var maxInFlight = settings.InFlightFor(limits.Value.GlobalPerSecond);
        // One claim query per quarter of the slots, not one per finished send: at 1000/s that is the difference
        // between a few claims a second and a thousand.
        var claimBatch = Math.Max(1, maxInFlight / 4);
        using var slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        using var sendsStopping = new CancellationTokenSource();
        var inFlight = new HashSet<Task>();

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                inFlight.RemoveWhere(task => task.IsCompleted);
                if (slots.CurrentCount < claimBatch)
                {
                    // New work (a reply, a channel post) or a batch's worth of room wakes this early.
                    await signal.WaitAsync(ClaimPause, time, stoppingToken);
                    if (slots.CurrentCount == 0)
                    {
                        continue;
                    }
                }

                // Paused: posts wait in the outbox, but people still get their answers.
                var paused = deliverySwitch.Paused;
                var batch = await outbox.ClaimDueAsync(time.GetUtcNow(), slots.CurrentCount, lease, paused, stoppingToken);
                if (batch.Count == 0)
                {
                    await signal.WaitAsync(await IdleDelayAsync(paused, stoppingToken), time, stoppingToken);
                    continue;
                }

                // The batch is no larger than the free slots and only this loop takes slots, so each take succeeds at once.
                foreach (var delivery in batch)
                {
                    slots.Wait(0, CancellationToken.None);
                    inFlight.Add(DeliverAndReleaseAsync(delivery, slots, claimBatch, stoppingToken, sendsStopping.Token));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // The one catch-all of the delivery loop: log, pause briefly, carry on.
                LogLoopFailed(exception);
                await Task.Delay(TimeSpan.FromSeconds(1), time, CancellationToken.None);
            }
        }

        // Shutdown: no new claims; sends already on the wire get a moment to be confirmed and recorded.
        sendsStopping.CancelAfter(ShutdownGrace);
        await Task.WhenAll(inFlight);
    }

    /// <summary>
    /// Tells the governor what Telegram may still be counting: sends of the last second and minute, by this replica or
    /// the one that sent before it, and claims still running (counted as sent now). False when stopped meanwhile.
    /// </summary>
    private async Task<bool> RememberRecentSendsAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow();
                foreach (var send in await store.RecentSendsAsync(now, ct, leadership.Predecessor))
                {
                    governor.RememberSent(send.Chat, now - send.SentAt);
                }

                return true;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // Sending without knowing could exceed a window Telegram still counts: wait for the database instead.
                LogLoopFailed(exception);
                await Task.Delay(TimeSpan.FromSeconds(1), time, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        return false;
    }

    private async Task DeliverAndReleaseAsync(ClaimedDelivery delivery, SemaphoreSlim slots, int claimBatch, CancellationToken stopping, CancellationToken sendsStopping)
    {
        try
        {
            await DeliverAsync(delivery, stopping, sendsStopping);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogDeliveryCrashed(exception, delivery.Id, delivery.Chat);
        }
        finally
        {
            // Wake the loop once a batch's worth of room is free: a finished send may have made its chat's next
            // message due. Below that the loop looks on its own every ClaimPause.
            if (slots.Release() + 1 >= claimBatch)
            {
                signal.Notify();
            }
        }
    }

    private async Task DeliverAsync(ClaimedDelivery delivery, CancellationToken stopping, CancellationToken sendsStopping)
    {
        SendTurn turn;
        try
        {
            // Channel posts and replies to people never wait behind a subscriber fan-out.
            turn = await governor.WaitTurnAsync(delivery.Chat, urgent: delivery.Target != DeliveryTargets.Subscriber, stopping);
        }
        catch (OperationCanceledException)
        {
            // Never sent: hand it straight back rather than waiting for the lease to run out.
            await store.ReleaseAsync([delivery.Id], CancellationToken.None);
            return;
        }

        // Disposed unsettled only when nothing was answered: then the turn counts as sent, the safe reading.
        using (turn)
        {
            if (!await StillOursAsync(delivery))
            {
                // Claimed again by someone else while this one waited its turn: theirs to send, not sent twice.
                turn.Settle(TurnOutcome.NotDelivered);
                LogLeaseLost(delivery.Id, delivery.Chat);
                return;
            }

            // A subscriber with a backlog (new analyses published together, or a long 429 wait) gets one digest.
            if (delivery is { Target: DeliveryTargets.Subscriber, LinkCode: not null, Form: PostForm.Formatted, Edit: null }
                && delivery.Backlog > options.Value.DigestThreshold)
            {
                await DeliverDigestAsync(delivery, turn, sendsStopping);
                return;
            }

            // An edit names its message by chat and id only: the topic and the sound were the post's. A channel's
            // silence was decided at fan-out (its feed's Silent); a subscriber's by their quiet hours as it goes out now.
            var message = new OutgoingMessage(
                Tracked(delivery.Post, delivery.LinkCode), delivery.Form, options.Value.AllowPaidBroadcast, delivery.Silent || Quiet(delivery), delivery.ThreadId);
            Func<CancellationToken, Task<SendResult>> call = delivery.Edit is { } edit
                ? token => sender.EditAsync(delivery.Chat, edit.MessageId, edit.ShownPhoto, message, token)
                : token => sender.SendAsync(delivery.Chat, message, token);
            if (await SendAsync(delivery, turn, [delivery.Id], call, sendsStopping) is { } result)
            {
                // Results are recorded whatever happens to the host: a confirmed send must be marked sent.
                await RecordAsync(delivery, result, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// True when the claim still holds. A turn granted late (a slow pace after 429s, a channel's minute) may come after
    /// half the lease: the lease is then renewed, but only if nobody claimed the delivery again in the meantime.
    /// </summary>
    private async Task<bool> StillOursAsync(ClaimedDelivery delivery)
    {
        var now = time.GetUtcNow();
        var lease = TimeSpan.FromSeconds(options.Value.LeaseSeconds);
        return delivery.LeaseUntil - now > lease / 2
            || await store.RenewLeaseAsync(delivery.Id, delivery.LeaseUntil, now + lease, CancellationToken.None);
    }

    /// <summary>
    /// Sends one message for <paramref name="ids"/> and settles its turn with the answer at once (the governor's windows
    /// wait for it); null when shutdown abandoned it (the deliveries are handed back).
    /// </summary>
    private async Task<SendResult?> SendAsync(ClaimedDelivery delivery, SendTurn turn, IReadOnlyList<long> ids, Func<CancellationToken, Task<SendResult>> call, CancellationToken sendsStopping)
    {
        var started = time.GetTimestamp();
        try
        {
            var result = await call(sendsStopping);
            turn.Settle(result);
            metrics.SendLatency(delivery.Target, time.GetElapsedTime(started));
            return result;
        }
        catch (OperationCanceledException) when (sendsStopping.IsCancellationRequested)
        {
            // Shutdown's grace ran out before Telegram answered: hand it back now instead of after the lease.
            // Telegram may have it already; a lease running out would send it again just the same.
            await store.ReleaseAsync(ids, CancellationToken.None);
            LogSendAbandoned(delivery.Id, delivery.Chat);
            return null;
        }
    }

    private async Task DeliverDigestAsync(ClaimedDelivery head, SendTurn turn, CancellationToken sendsStopping)
    {
        var (entries, language) = await outbox.ClaimBacklogAsync(head.Chat, time.GetUtcNow(), TimeSpan.FromSeconds(options.Value.LeaseSeconds), CancellationToken.None);
        var ids = entries.Select(entry => entry.DeliveryId).ToList();
        var text = DigestFormatter.Format([.. entries.Select(entry => new DigestFormatter.Entry(entry.Title, TrackedUrl(entry.LinkCode) ?? entry.Link))], language);
        var message = new OutgoingMessage(Post.Text(text), AllowPaidBroadcast: options.Value.AllowPaidBroadcast, Silent: Quiet(head));
        if (await SendAsync(head, turn, ids, token => sender.SendAsync(head.Chat, message, token), sendsStopping) is not { } result)
        {
            return;
        }

        if (result is SendResult.Sent sent)
        {
            var sentAt = time.GetUtcNow();
            await RecordSentAsync(head, () => store.MarkManySentAsync(ids, sent.MessageId, sentAt, CancellationToken.None));
            foreach (var _ in ids)
            {
                metrics.DeliveryCompleted(head.Target, "sent");
            }

            LogDigestSent(head.Chat, ids.Count, sent.MessageId);
            return;
        }

        // Anything else is what it would be for the head alone; the rest wait behind it as before.
        await store.ReleaseAsync(ids.Where(id => id != head.Id), CancellationToken.None);
        await RecordAsync(head, result, CancellationToken.None);
    }

    private async Task RecordAsync(ClaimedDelivery delivery, SendResult result, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        switch (result)
        {
            case SendResult.Sent sent when delivery.Edit is { } edit:
                // A text message stays text; a photo message shows the corrected post's photo, or keeps its own.
                var shows = edit.ShownPhoto is null ? null : delivery.Post.PhotoUrl ?? edit.ShownPhoto;
                await RecordSentAsync(delivery, () => store.MarkEditedAsync(delivery.Id, edit, shows, now, ct));
                Completed(delivery, "sent");
                LogEdited(delivery.Source, delivery.Title, delivery.Chat, edit.MessageId);
                break;

            case SendResult.MessageGone gone:
                await store.DropAsync(delivery.Id, gone.Reason, ct);
                Completed(delivery, "gone");
                LogEditedMessageGone(delivery.Chat, delivery.Edit?.MessageId ?? 0, delivery.Title);
                break;

            case SendResult.Sent sent:
                await RecordSentAsync(delivery, async () =>
                {
                    if (await outbox.MarkSentAsync(delivery, sent.MessageId, ShownPhoto(delivery), options.Value.EditPrivateCopies, now, ct))
                    {
                        // Corrected while on its way: it went out in the old version, and its edit is queued now.
                        signal.Notify();
                        LogCorrectedInFlight(delivery.Chat, delivery.Title);
                    }
                });
                Completed(delivery, "sent");
                await alerts.SentAsync(ct);
                if (delivery.Target == DeliveryTargets.Channel)
                {
                    await alerts.ChannelSentAsync(delivery.Chat, ct);
                    if (delivery.ThreadId is { } sentThread)
                    {
                        await alerts.TopicSentAsync(delivery.Chat, sentThread, ct);
                    }
                }

                LogSent(delivery.Source, delivery.Title, delivery.Chat, sent.MessageId);
                break;

            case SendResult.RetryAfter retry:
                // The governor already holds the chat back and slows down (the send's turn was settled with the 429).
                metrics.TooManyRequests();
                Completed(delivery, "retried");
                await alerts.RateLimitedAsync(retry.Delay, ct);
                await store.RescheduleAsync(delivery.Id, now + retry.Delay, countAttempt: false, $"429: retry after {retry.Delay.TotalSeconds:0} s", ct);
                LogRetryAfter(delivery.Chat, retry.Delay.TotalSeconds);
                break;

            case SendResult.Blocked blocked when delivery.Target == DeliveryTargets.Channel:
                var parked = await store.BlockChatAsync(delivery.Chat, blocked.Reason, now, ct);
                Completed(delivery, "blocked");
                await alerts.ChannelBlockedAsync(delivery.Chat, blocked.Reason, ct);
                LogChatBlocked(delivery.Chat, blocked.Reason, parked);
                break;

            case SendResult.Blocked blocked:
                // A person (or group) who blocked the bot: unsubscribe them at once; nothing is retried for them.
                Completed(delivery, "blocked");
                if (delivery.Target == DeliveryTargets.Reply)
                {
                    await store.GiveUpAsync(delivery.Id, blocked.Reason, ct);
                }

                if (long.TryParse(delivery.Chat, System.Globalization.CultureInfo.InvariantCulture, out var chatId)
                    && await outbox.EndSubscriptionAsync(chatId, "blocked", now, ct) is { } dropped)
                {
                    LogSubscriberBlocked(delivery.Chat, blocked.Reason, dropped);
                }

                break;

            case SendResult.ChatMigrated migrated:
                var newChat = migrated.NewChatId.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await outbox.MoveChatAsync(delivery.Chat, newChat, now, ct);
                Completed(delivery, "migrated");
                LogChatMigrated(delivery.Chat, newChat);
                break;

            case SendResult.Rejected { Kind: RejectKind.Formatting } rejected when delivery.Form != PostForm.Plain:
                await store.FallBackAsync(delivery.Id, PostForm.Plain, rejected.Reason, now, ct);
                Completed(delivery, "fell_back");
                LogFormattingRejected(delivery.Source, delivery.Title, delivery.Chat, rejected.Reason);
                break;

            case SendResult.Rejected { Kind: RejectKind.Photo } rejected when delivery.Form == PostForm.Formatted:
                await store.FallBackAsync(delivery.Id, PostForm.TextWithPreview, rejected.Reason, now, ct);
                Completed(delivery, "fell_back");
                LogPhotoRejected(delivery.Chat, delivery.Post.PhotoUrl, rejected.Reason);
                break;

            case SendResult.Rejected { Kind: RejectKind.Topic } rejected when delivery is { Target: DeliveryTargets.Channel, ThreadId: { } thread }:
                // That topic only: the group and its other topics still take posts (a 403 for the group is Blocked).
                var parkedInTopic = await store.StopTopicAsync(delivery.Chat, thread, rejected.Reason, now, ct);
                Completed(delivery, "blocked");
                await alerts.TopicStoppedAsync(delivery.Chat, thread, rejected.Reason, ct);
                LogTopicStopped(delivery.Chat, thread, rejected.Reason, parkedInTopic);
                break;

            case SendResult.Rejected rejected:
                await store.GiveUpAsync(delivery.Id, rejected.Reason, ct);
                Completed(delivery, "gave_up");
                LogGaveUp(delivery.Id, delivery.Chat, rejected.Reason);
                break;

            case SendResult.Failed failed when delivery.Attempts + 1 >= options.Value.MaxAttempts:
                await store.GiveUpAsync(delivery.Id, failed.Reason, ct);
                Completed(delivery, "gave_up");
                LogGaveUp(delivery.Id, delivery.Chat, failed.Reason);
                break;

            case SendResult.Failed failed:
                var delay = Backoff(delivery.Attempts);
                await store.RescheduleAsync(delivery.Id, now + delay, countAttempt: true, failed.Reason, ct);
                Completed(delivery, "retried");
                LogSendFailed(delivery.Chat, failed.Reason, delay.TotalSeconds);
                break;
        }
    }

    /// <summary>Inside the subscriber's quiet hours as it goes out now (not when it was queued): sent at once, silently.</summary>
    private bool Quiet(ClaimedDelivery delivery) => QuietHours.Silences(delivery, time.GetUtcNow(), days.Zone);

    /// <summary>Deliveries and edits are counted apart: an edit is never a delivery.</summary>
    private void Completed(ClaimedDelivery delivery, string result)
    {
        if (delivery.Edit is null)
        {
            metrics.DeliveryCompleted(delivery.Target, result);
        }
        else
        {
            metrics.EditCompleted(delivery.Target, result);
        }
    }

    /// <summary>The photo a sent post shows: it went out as a photo when its form allowed one.</summary>
    private static string? ShownPhoto(ClaimedDelivery delivery) =>
        delivery is { Form: PostForm.Formatted, Post: { PhotoUrl: { } photo, CaptionHtml: not null } } ? photo : null;

    /// <summary>
    /// A send Telegram confirmed must be recorded. A record that fails (the database locked, the disk full) is tried
    /// again, in memory, until it lands or the claim's lease runs out: left to the lease, the post would go out twice.
    /// </summary>
    private async Task RecordSentAsync(ClaimedDelivery delivery, Func<Task> record)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await record();
                return;
            }
            catch (DbException failure) when (time.GetUtcNow() + delay < delivery.LeaseUntil)
            {
                LogRecordRetried(failure, delivery.Id, delivery.Chat, delay.TotalSeconds);
                await Task.Delay(delay, time, CancellationToken.None);
                delay = delay * 2 > MaxRecordDelay ? MaxRecordDelay : delay * 2;
            }
        }
    }

    /// <summary>With tracking on, a post's "Read" button leads through the bot's redirect, which counts the open.</summary>
    private Post Tracked(Post post, string? linkCode) =>
        post.ButtonUrl is not null && TrackedUrl(linkCode) is { } tracked ? post with { ButtonUrl = tracked } : post;

    private string? TrackedUrl(string? linkCode) =>
        tracking.Value.PublicBaseUrl is { Length: > 0 } baseUrl && linkCode is not null
            ? $"{baseUrl.TrimEnd('/')}/r/{linkCode}"
            : null;

    /// <summary>5 s, 10 s, 20 s … at most 15 minutes between attempts after transient failures.</summary>
    internal static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(15 * 60, 5 * Math.Pow(2, Math.Min(attempts, 20))));

    private async Task<TimeSpan> IdleDelayAsync(bool paused, CancellationToken ct)
    {
        if (await store.NextDueAsync(ct, DeliveryPriorities.Highest(paused)) is not { } next)
        {
            return IdleCheck;
        }

        var wait = next - time.GetUtcNow();
        return wait < TimeSpan.FromMilliseconds(20) ? TimeSpan.FromMilliseconds(20) : wait > IdleCheck ? IdleCheck : wait;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Posted {FeedId} \"{Title}\" to {Chat} as message {MessageId}")]
    private partial void LogSent(string feedId, string title, string chat, int messageId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Telegram asked to slow down for {Chat}: retrying after {Seconds} s")]
    private partial void LogRetryAfter(string chat, double seconds);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Stopped sending to {Chat}: {Reason}. {Parked} pending deliveries parked until the bot is restarted with its rights fixed")]
    private partial void LogChatBlocked(string chat, string reason, int parked);

    [LoggerMessage(EventId = 2016, Level = LogLevel.Error, Message = "Stopped sending to topic {Thread} of {Chat}: {Reason}. {Parked} pending deliveries parked until the topic is reopened or the bot restarted")]
    private partial void LogTopicStopped(string chat, int thread, string reason, int parked);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Subscriber {Chat} is gone ({Reason}): unsubscribed, {Dropped} pending posts dropped")]
    private partial void LogSubscriberBlocked(string chat, string reason, int dropped);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information, Message = "Sent {Chat} one digest of {Count} analyses as message {MessageId}")]
    private partial void LogDigestSent(string chat, int count, int messageId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Chat {Chat} became supergroup {NewChat}: deliveries moved there")]
    private partial void LogChatMigrated(string chat, string newChat);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Telegram rejected the formatting of {FeedId} \"{Title}\" for {Chat} ({Reason}): resending as plain text")]
    private partial void LogFormattingRejected(string feedId, string title, string chat, string reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Telegram could not use photo {Photo} for {Chat} ({Reason}): resending as text with the link preview")]
    private partial void LogPhotoRejected(string chat, string? photo, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Error, Message = "Gave up delivery {DeliveryId} to {Chat}: {Reason}")]
    private partial void LogGaveUp(long deliveryId, string chat, string reason);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Sending to {Chat} failed ({Reason}); retrying in {Seconds} s")]
    private partial void LogSendFailed(string chat, string reason, double seconds);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Error, Message = "Dispatcher loop failed; continuing")]
    private partial void LogLoopFailed(Exception exception);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Delivery {DeliveryId} to {Chat} was unconfirmed when shutdown's grace ran out: handed back")]
    private partial void LogSendAbandoned(long deliveryId, string chat);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "Delivery {DeliveryId} to {Chat} waited for its turn past its lease and was claimed again meanwhile: left to the new claim")]
    private partial void LogLeaseLost(long deliveryId, string chat);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Warning, Message = "Delivery {DeliveryId} to {Chat} was sent but could not be recorded; trying again in {Seconds} s")]
    private partial void LogRecordRetried(Exception exception, long deliveryId, string chat, double seconds);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Information, Message = "Edited {Source} \"{Title}\" in {Chat} (message {MessageId})")]
    private partial void LogEdited(string source, string title, string chat, int messageId);

    [LoggerMessage(EventId = 2031, Level = LogLevel.Information, Message = "Message {MessageId} in {Chat} is gone (deleted by an admin): its correction of \"{Title}\" is dropped")]
    private partial void LogEditedMessageGone(string chat, int messageId, string title);

    [LoggerMessage(EventId = 2032, Level = LogLevel.Information, Message = "\"{Title}\" was corrected while its post to {Chat} was on its way: an edit is queued")]
    private partial void LogCorrectedInFlight(string chat, string title);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Error, Message = "Delivery {DeliveryId} to {Chat} crashed; its lease will hand it back")]
    private partial void LogDeliveryCrashed(Exception exception, long deliveryId, string chat);
}
