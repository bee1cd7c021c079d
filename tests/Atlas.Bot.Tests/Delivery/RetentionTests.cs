using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using Atlas.Bot.Delivery;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Bot.Tests.Delivery;

/// <summary>Retention (Storage__KeepDays): what goes after the period, and everything the bot still needs that stays.</summary>
public sealed class RetentionTests : DatabaseTest, IDisposable
{
    private static readonly TimeZoneInfo Baku = TimeZoneInfo.FindSystemTimeZoneById("Asia/Baku");
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    // Noon in Baku.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly TestMeterFactory _meters = new();
    private int _messageId;

    [Theory]
    [InlineData(6, false)]
    [InlineData(7, true)]
    [InlineData(180, true)]
    [InlineData(36_500, true)]
    [InlineData(36_501, false)]
    public void KeepDays_is_at_least_a_week(int keepDays, bool valid)
    {
        var options = new StorageOptions { KeepDays = keepDays };

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
        Assert.Equal(180, new StorageOptions().KeepDays);
    }

    [Fact]
    public async Task Deliveries_replies_and_audit_lines_older_than_KeepDays_go_and_newer_ones_stay()
    {
        var old = await DistributeAndSendAsync("old", "@atlas_az");
        await ReplyAndSendAsync("update:1:0");
        await Store.AuditAsync("update:1", 7, "/pause", null, allowed: true, _time.GetUtcNow(), CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(3));
        var recent = await DistributeAndSendAsync("recent", "@atlas_az");
        await ReplyAndSendAsync("update:2:0");
        await Store.AuditAsync("update:2", 7, "/resume", null, allowed: true, _time.GetUtcNow(), CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(5));
        await CloseDaysAsync();
        using var counter = new PrunedCounter(_meters);

        var pruned = await Retention(keepDays: 7).PruneAsync(CancellationToken.None);

        Assert.Equal(new PrunedRows(Deliveries: 3, Messages: 1, Audit: 1), pruned);
        Assert.Equal(2, await Database.CountAsync($"SELECT COUNT(*) FROM deliveries WHERE item_seq = {recent}"));
        Assert.Equal(2, await Database.CountAsync("SELECT COUNT(*) FROM deliveries WHERE item_seq IS NOT NULL"));
        Assert.Equal(["update:2:0"], await Database.ListAsync("SELECT key FROM messages"));
        Assert.Equal(["update:2"], await Database.ListAsync("SELECT key FROM audit"));
        Assert.Equal(2, await Database.CountAsync("SELECT COUNT(*) FROM items"));
        Assert.Equal(2, await Database.CountAsync($"SELECT SUM(deliveries) FROM daily_counts WHERE item_seq = {old}"));
        Assert.Equal(new Dictionary<string, long> { ["deliveries"] = 3, ["messages"] = 1, ["audit"] = 1 }, counter.Totals);
    }

    [Fact]
    public async Task Deliveries_still_to_be_sent_stay_whatever_their_age_and_finished_ones_go()
    {
        await Store.SubscribeAsync(101, "private", null, "az", ["az"], Now, CancellationToken.None);
        await Store.SubscribeAsync(102, "private", null, "az", ["az"], Now, CancellationToken.None);
        await Store.RecordItemAsync(Item("a"), SamplePost("A"), ["@pending", "@claimed", "@parked", "@failed"], Now, CancellationToken.None);
        var claimed = await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None);
        await Store.ReleaseAsync(claimed.Where(d => d.Chat != "@claimed").Select(d => d.Id), CancellationToken.None);
        await Store.BlockChatAsync("@parked", "Forbidden: bot was kicked", Now, CancellationToken.None);
        await Store.GiveUpAsync(claimed.Single(d => d.Chat == "@failed").Id, "Bad Request: chat not found", CancellationToken.None);
        await Store.DeactivateAsync(102, "blocked", Now, CancellationToken.None);
        await Store.EnqueueReplyAsync("update:1:0", "101", SamplePost("Waiting reply"), Now, CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(100));
        await CloseDaysAsync();

        var pruned = await Retention(keepDays: 7).PruneAsync(CancellationToken.None);

        Assert.Equal(new PrunedRows(Deliveries: 2, Messages: 0, Audit: 0), pruned);
        Assert.Equal(["@pending:pending", "@claimed:pending", "@parked:parked", "101:pending", "101:pending"],
            await Database.ListAsync("SELECT chat || ':' || state FROM deliveries ORDER BY id"));
        Assert.Equal(["update:1:0"], await Database.ListAsync("SELECT key FROM messages"));
    }

    [Fact]
    public async Task A_sent_post_is_kept_until_the_day_closer_has_counted_it_and_its_figures_stay_for_ever()
    {
        var seq = await DistributeAndSendAsync("a", "@atlas_az");
        _time.Advance(TimeSpan.FromDays(30));

        var beforeClose = await Retention(keepDays: 7).PruneAsync(CancellationToken.None);
        await CloseDaysAsync();
        var afterClose = await Retention(keepDays: 7).PruneAsync(CancellationToken.None);

        Assert.Equal((0L, 2L), (beforeClose.Deliveries, afterClose.Deliveries));
        Assert.Equal(2, await Database.CountAsync("SELECT deliveries FROM daily_summary WHERE day = '2026-11-02'"));
        Assert.Equal(2, await Database.CountAsync($"SELECT SUM(deliveries) FROM daily_counts WHERE item_seq = {seq}"));
    }

    [Fact]
    public async Task While_the_day_closer_catches_up_only_the_posts_of_days_already_closed_go()
    {
        await DistributeAndSendAsync("first-day", "@atlas_az");
        _time.Advance(TimeSpan.FromDays(1));
        var second = await DistributeAndSendAsync("second-day", "@atlas_az");
        _time.Advance(TimeSpan.FromDays(30));
        var first = new StatsDays(Baku).Day(new DateOnly(2026, 11, 2));
        await Store.CloseDayAsync(first.Key, first.StartUtc, first.EndUtc, _time.GetUtcNow(), CancellationToken.None);

        var pruned = await Retention(keepDays: 7).PruneAsync(CancellationToken.None);

        Assert.Equal(2, pruned.Deliveries);
        Assert.Equal(2, await Database.CountAsync($"SELECT COUNT(*) FROM deliveries WHERE item_seq = {second}"));
    }

    [Fact]
    public async Task An_analysis_whose_deliveries_were_deleted_is_never_distributed_again()
    {
        await DistributeAndSendAsync("a", "@atlas_az");
        _time.Advance(TimeSpan.FromDays(30));
        await CloseDaysAsync();
        await Retention(keepDays: 7).PruneAsync(CancellationToken.None);

        var known = await Store.KnownItemKeysAsync("feed", ["a", "b"], CancellationToken.None);
        var again = await Store.RecordItemAsync(Item("a"), SamplePost("A"), ["@atlas_az"], _time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM deliveries"));
        Assert.Equal(["a"], known);
        Assert.False(again);
        Assert.Empty(await Store.ClaimDueAsync(_time.GetUtcNow(), 10, Lease, CancellationToken.None));
    }

    [Fact]
    public async Task What_an_update_still_waiting_in_the_inbox_made_stays_so_that_handling_it_again_makes_nothing_twice()
    {
        // Handled once (the reply sent, the audit line written), then a crash before it was marked handled.
        await Store.AddToInboxAsync([new InboxUpdate(1, "{}")], nextOffset: 2, Now, CancellationToken.None);
        await ReplyAndSendAsync("update:1:0");
        await Store.AuditAsync("update:1", 7, "/pause", null, allowed: true, Now, CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(30));
        await CloseDaysAsync();

        var waiting = await Retention(keepDays: 7).PruneAsync(CancellationToken.None);
        var queuedAgain = await Store.EnqueueReplyAsync("update:1:0", "101", SamplePost("Reply"), _time.GetUtcNow(), CancellationToken.None);
        await Store.MarkHandledAsync(1, null, _time.GetUtcNow(), CancellationToken.None);
        var handled = await Retention(keepDays: 7).PruneAsync(CancellationToken.None);

        Assert.Equal(new PrunedRows(Deliveries: 1, Messages: 0, Audit: 0), waiting);
        Assert.False(queuedAgain);
        Assert.Equal(new PrunedRows(Deliveries: 0, Messages: 1, Audit: 1), handled);
    }

    [Fact]
    public async Task An_announcement_goes_once_its_last_delivery_has_gone()
    {
        await Store.SubscribeAsync(101, "private", null, "az", ["az"], Now, CancellationToken.None);
        await Store.SubscribeAsync(102, "private", null, "az", ["az"], Now, CancellationToken.None);
        var seq = await Store.CreateBroadcastDraftAsync("update:1:0", "News", 7, Now, CancellationToken.None);
        await Store.ConfirmBroadcastAsync(seq, 7, Now, CancellationToken.None);
        var first = (await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None))[0];
        await Store.MarkSentAsync(first.Id, ++_messageId, null, Now, CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(30));
        await CloseDaysAsync();

        var oneWaiting = await Retention(keepDays: 7).PruneAsync(CancellationToken.None);
        var last = (await Store.ClaimDueAsync(_time.GetUtcNow(), 10, Lease, CancellationToken.None)).Single();
        await Store.MarkSentAsync(last.Id, ++_messageId, null, _time.GetUtcNow(), CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(30));
        await CloseDaysAsync();
        var allSent = await Retention(keepDays: 7).PruneAsync(CancellationToken.None);

        Assert.Equal((1L, 0L), (oneWaiting.Deliveries, oneWaiting.Messages));
        Assert.Equal((1L, 1L), (allSent.Deliveries, allSent.Messages));
    }

    [Fact]
    public async Task Deletes_go_batch_by_batch_past_rows_that_stay_and_stop_at_the_first_recent_row()
    {
        for (var i = 0; i < 12; i++)
        {
            await Store.AuditAsync($"old:{i}", 7, "/pause", null, allowed: true, Now, CancellationToken.None);
            await Store.EnqueueReplyAsync($"old:{i}:0", (200 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), SamplePost("Reply"), Now, CancellationToken.None);
        }

        var waiting = (await Store.ClaimDueAsync(Now, 20, Lease, CancellationToken.None)).Select(d => d.Id).ToList();
        await Store.MarkManySentAsync([.. waiting], ++_messageId, Now, CancellationToken.None);
        await Store.EnqueueReplyAsync("old:still-waiting:0", "102", SamplePost("Reply"), Now, CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(8));
        await Store.AuditAsync("recent", 7, "/resume", null, allowed: true, _time.GetUtcNow(), CancellationToken.None);
        var before = _time.GetUtcNow().AddDays(-7);

        var deliveries = await Store.PruneDeliveriesAsync(before, before, CancellationToken.None, batch: 5);
        var messages = await Store.PruneMessagesAsync(before, CancellationToken.None, batch: 5);
        var audit = await Store.PruneAuditAsync(before, CancellationToken.None, batch: 5);

        Assert.Equal((12, 12L), (waiting.Count, deliveries));
        Assert.Equal((12L, 12L), (messages, audit));
        Assert.Equal(["old:still-waiting:0"], await Database.ListAsync("SELECT key FROM messages"));
        Assert.Equal(["recent"], await Database.ListAsync("SELECT key FROM audit"));
    }

    private static DateTimeOffset Now => new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private static ItemRecord Item(string key) => SampleItem(key, Now);

    private Retention Retention(int keepDays) =>
        new(Store, new StatsDays(Baku), Options.Create(new StorageOptions { KeepDays = keepDays }), new BotMetrics(_meters, _time), _time, NullLogger<Retention>.Instance);

    private Task<int> CloseDaysAsync() =>
        new DayCloser(Store, new StatsDays(Baku), Options.Create(new StatsOptions()), _time, NullLogger<DayCloser>.Instance).CloseFinishedDaysAsync(CancellationToken.None);

    /// <summary>Distributes an analysis to one channel and a subscriber, both confirmed by Telegram now; returns its item seq.</summary>
    private async Task<long> DistributeAndSendAsync(string key, string channel)
    {
        var now = _time.GetUtcNow();
        await Store.SubscribeAsync(101, "private", null, "az", ["az"], now, CancellationToken.None);
        await Store.RecordItemAsync(SampleItem(key, now), SamplePost(key), [channel], now, CancellationToken.None);
        foreach (var _ in new[] { channel, "101" })
        {
            // The channel first, then the subscriber: claimed one at a time as the dispatcher would.
            var delivery = (await Store.ClaimDueAsync(now, 1, Lease, CancellationToken.None)).Single();
            await Store.MarkSentAsync(delivery.Id, ++_messageId, null, now, CancellationToken.None);
        }

        return (await Store.FindTrackedItemByCodeOrLinkAsync("https://atlas.az/" + key, CancellationToken.None))!.ItemSeq;
    }

    private async Task ReplyAndSendAsync(string key)
    {
        var now = _time.GetUtcNow();
        await Store.EnqueueReplyAsync(key, "101", SamplePost("Reply"), now, CancellationToken.None);
        var reply = (await Store.ClaimDueAsync(now, 1, Lease, CancellationToken.None, paused: true)).Single();
        await Store.MarkSentAsync(reply.Id, ++_messageId, null, now, CancellationToken.None);
    }

    public void Dispose() => _meters.Dispose();

    /// <summary>What the atlas.bot.retention.pruned counter adds up to while it listens, by table.</summary>
    private sealed class PrunedCounter : IDisposable
    {
        private readonly MeterListener _listener = new();

        public PrunedCounter(TestMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (meters.Created.Contains(instrument.Meter) && instrument.Name == "atlas.bot.retention.pruned")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                var table = (string)tags[0].Value!;
                Totals[table] = Totals.GetValueOrDefault(table) + value;
            });
            _listener.Start();
        }

        public Dictionary<string, long> Totals { get; } = new(StringComparer.Ordinal);

        public void Dispose() => _listener.Dispose();
    }
}
