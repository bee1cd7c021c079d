using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Microsoft.Extensions.Options;

namespace Atlas.Bot;

/// <summary>
/// The bot's operational metrics (System.Diagnostics.Metrics, meter "Atlas.Bot"), recorded where things
/// happen and exported at /metrics. Labels are bounded: feed ids, target kinds, results and reason
/// categories — never a chat id or a URL.
/// </summary>
/// <remarks>
/// Instrument names are dotted and carry their unit separately: the Prometheus exporter turns
/// "atlas.bot.fetch.duration" in seconds into atlas_bot_fetch_duration_seconds and adds _total to counters.
/// </remarks>
public sealed class BotMetrics
{
    public const string MeterName = "Atlas.Bot";

    /// <summary>A feed answers in well under a second, or hangs until the fetch timeout (30 s by default).</summary>
    private static readonly double[] FetchBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>Telegram answers in tens of milliseconds; a photo it fetches first can take seconds.</summary>
    private static readonly double[] SendBuckets = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private static readonly IReadOnlyList<string> Targets = DeliveryTargets.All;

    /// <summary>Every result <see cref="DeliveryCompleted"/> is called with.</summary>
    private static readonly string[] DeliveryResults = ["sent", "retried", "gave_up", "blocked", "migrated", "fell_back"];

    /// <summary>Every result <see cref="PollCompleted"/> is called with, but "failed", which carries a reason as well.</summary>
    private static readonly string[] PollResults = ["new_items", "no_new_items", "not_modified"];

    /// <summary>Every category <see cref="FailureCategory.Of"/> reduces a failed poll's reason to.</summary>
    private static readonly string[] FailureCategories =
    [
        FailureCategory.Http4xx, FailureCategory.Http5xx, FailureCategory.Timeout, FailureCategory.TooLarge,
        FailureCategory.Network, FailureCategory.NotAFeed, FailureCategory.Other,
    ];

    /// <summary>Why a WebSub push was answered but not read (<see cref="PushIgnored"/>).</summary>
    private static readonly string[] PushIgnoredReasons = ["unsigned", "bad_signature", "unknown_callback", "too_large"];

    /// <summary>Each <see cref="OpenOutcome"/>'s reason label, by its value: "crawler", "repeat", "limited", "refused".</summary>
    private static readonly string[] OpenReasons = [.. Enum.GetNames<OpenOutcome>().Select(name => name.ToLowerInvariant())];

    /// <summary>What a command or press over the reply budget gets (<see cref="OverBudget"/>).</summary>
    private static readonly string[] OverBudgetAnswers = ["notice", "nothing"];

    /// <summary>Every table <see cref="Pruned"/> is called with.</summary>
    private static readonly string[] PrunedTables = ["deliveries", "messages", "audit"];

    private readonly TimeProvider _time;
    private readonly Counter<long> _polls;
    private readonly Histogram<double> _fetchDuration;
    private readonly Counter<long> _itemsFound;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _edits;
    private readonly Counter<long> _tooManyRequests;
    private readonly Histogram<double> _sendDuration;
    private readonly Counter<long> _pruned;
    private readonly Counter<long> _uncountedOpens;
    private readonly Counter<long> _overBudget;
    private readonly Counter<long> _pushesIgnored;
    private long _opens;
    private readonly ConcurrentDictionary<string, int> _leading = new(StringComparer.Ordinal);

    // Replaced whole by the background refresh; scrapes read whichever snapshot is current.
    private volatile OperationalCounts _counts = OperationalCounts.None;

    /// <param name="governor">Its pace is exported as a gauge; absent where nothing sends (tests of other parts).</param>
    /// <param name="feeds">The configured feeds, whose polls and new items are exported at 0 from the start.</param>
    public BotMetrics(IMeterFactory meters, TimeProvider time, RateGovernor? governor = null, IOptions<FeedsOptions>? feeds = null)
    {
        _time = time;
        var meter = meters.Create(MeterName);
        _polls = meter.CreateCounter<long>("atlas.bot.polls", "{poll}", "Feed polls by feed, result and failure reason.");
        _fetchDuration = meter.CreateHistogram("atlas.bot.fetch.duration", "s", "Time to fetch and parse a feed.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FetchBuckets });
        _itemsFound = meter.CreateCounter<long>("atlas.bot.items.found", "{item}", "New items found in feeds.");
        _deliveries = meter.CreateCounter<long>("atlas.bot.deliveries", "{delivery}", "Send attempts by target kind and result.");
        _edits = meter.CreateCounter<long>("atlas.bot.edits", "{edit}", "Edits of sent posts after a correction, by target kind and result; never counted as deliveries.");
        _tooManyRequests = meter.CreateCounter<long>("atlas.bot.telegram.429", "{response}", "429 Too Many Requests answers from Telegram.");
        // Known series start at 0, so that rate() and alert rules work before the first 429 or the first failure.
        _tooManyRequests.Add(0);
        foreach (var target in Targets)
        {
            foreach (var result in DeliveryResults)
            {
                _deliveries.Add(0, new("target", target), new("result", result));
                _edits.Add(0, new("target", target), new("result", result));
            }

            _edits.Add(0, new("target", target), new("result", "gone"));
        }

        foreach (var feed in feeds?.Value.Feeds ?? [])
        {
            _itemsFound.Add(0, new KeyValuePair<string, object?>("feed", feed.Id));
            foreach (var result in PollResults)
            {
                _polls.Add(0, new("feed", feed.Id), new("result", result));
            }

            foreach (var category in FailureCategories)
            {
                _polls.Add(0, new("feed", feed.Id), new("result", "failed"), new("reason", category));
            }
        }

        _sendDuration = meter.CreateHistogram("atlas.bot.send.duration", "s", "Time Telegram took to answer a send.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SendBuckets });

        _pruned = meter.CreateCounter<long>("atlas.bot.retention.pruned", "{row}", "Rows deleted by retention (Storage__KeepDays), by table.");
        foreach (var table in PrunedTables)
        {
            _pruned.Add(0, new KeyValuePair<string, object?>("table", table));
        }

        _uncountedOpens = meter.CreateCounter<long>("atlas.bot.opens.uncounted", "{open}",
            "Opens not counted, by reason: crawler, repeat (the same reader within minutes), limited (an address over its hourly limit), refused (buffer full).");
        foreach (var outcome in Enum.GetValues<OpenOutcome>().Where(outcome => outcome != OpenOutcome.Counted))
        {
            _uncountedOpens.Add(0, new KeyValuePair<string, object?>("reason", OpenReasons[(int)outcome]));
        }

        _overBudget = meter.CreateCounter<long>("atlas.bot.commands.over_budget", "{request}",
            "Commands and button presses over the reply budget, by what they got: the one notice of an episode, or nothing.");
        foreach (var answer in OverBudgetAnswers)
        {
            _overBudget.Add(0, new KeyValuePair<string, object?>("answer", answer));
        }

        _pushesIgnored = meter.CreateCounter<long>("atlas.bot.websub.pushes.ignored", "{push}",
            "WebSub pushes answered but not read, by reason: unsigned, bad_signature, unknown_callback, too_large.");
        foreach (var reason in PushIgnoredReasons)
        {
            _pushesIgnored.Add(0, new KeyValuePair<string, object?>("reason", reason));
        }

        // Observed rather than added to, so the series exists (at 0) before the first open is ever counted.
        meter.CreateObservableCounter("atlas.bot.opens", () => Interlocked.Read(ref _opens), "{open}", "Posts opened through the bot's links.");
        meter.CreateObservableGauge("atlas.bot.outbox.pending", ObservePending, "{delivery}", "Deliveries waiting to be sent, by target kind.");
        meter.CreateObservableGauge("atlas.bot.outbox.oldest_pending_age", ObserveOldestAge, "s", "Age of the oldest delivery waiting to be sent, by target kind.");
        meter.CreateObservableGauge("atlas.bot.subscribers", ObserveSubscribers, "{subscriber}", "Subscribers by state.");
        meter.CreateObservableGauge("atlas.bot.leader", ObserveLeading, "{lease}", "1 while this replica holds the job's lease (telegram-updates, delivery-dispatcher), else 0.");
        if (governor is not null)
        {
            meter.CreateObservableGauge("atlas.bot.send.pace", () => governor.Pace, "{message}/s",
                "Messages a second the bot allows itself now: Delivery__GlobalPerSecond unless Telegram's 429s lowered it.");
        }
    }

    /// <param name="result">new_items, no_new_items, not_modified or failed.</param>
    /// <param name="reason">For failures: the reason in plain words, reduced to a category here.</param>
    public void PollCompleted(string feedId, string result, string? reason = null)
    {
        if (reason is null)
        {
            _polls.Add(1, new("feed", feedId), new("result", result));
        }
        else
        {
            _polls.Add(1, new("feed", feedId), new("result", result), new("reason", FailureCategory.Of(reason)));
        }
    }

    public void FetchDuration(string feedId, TimeSpan duration) =>
        _fetchDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("feed", feedId));

    /// <summary>New items a poll found (0 when nothing was new).</summary>
    public void ItemsFound(string feedId, int count) =>
        _itemsFound.Add(count, new KeyValuePair<string, object?>("feed", feedId));

    /// <param name="target">channel, subscriber or reply.</param>
    /// <param name="result">sent, retried, gave_up, blocked, migrated or fell_back (<see cref="DeliveryResults"/>).</param>
    public void DeliveryCompleted(string target, string result) =>
        _deliveries.Add(1, new("target", target), new("result", result));

    /// <param name="target">channel or subscriber.</param>
    /// <param name="result">as for deliveries, or gone (the message was deleted before its edit).</param>
    public void EditCompleted(string target, string result) =>
        _edits.Add(1, new("target", target), new("result", result));

    public void TooManyRequests() => _tooManyRequests.Add(1);

    public void SendLatency(string target, TimeSpan latency) =>
        _sendDuration.Record(latency.TotalSeconds, new KeyValuePair<string, object?>("target", target));

    /// <summary>Rows of <paramref name="table"/> (deliveries, messages, audit) that retention deleted.</summary>
    public void Pruned(string table, long count) =>
        _pruned.Add(count, new KeyValuePair<string, object?>("table", table));

    /// <summary>A reader opened a post through the bot's link (the view-counts issue calls this).</summary>
    public void Opened() => Interlocked.Increment(ref _opens);

    /// <param name="outcome">Why not: its name, lower-cased, is the reason label (crawler, repeat, limited, refused).</param>
    public void OpenNotCounted(OpenOutcome outcome) =>
        _uncountedOpens.Add(1, new KeyValuePair<string, object?>("reason", OpenReasons[(int)outcome]));

    /// <param name="noticed">Whether the request got the episode's "too many requests" notice (else nothing).</param>
    public void OverBudget(bool noticed) =>
        _overBudget.Add(1, new KeyValuePair<string, object?>("answer", noticed ? "notice" : "nothing"));

    /// <param name="reason">unsigned, bad_signature, unknown_callback or too_large.</param>
    public void PushIgnored(string reason) =>
        _pushesIgnored.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Whether this replica now holds <paramref name="job"/>'s lease (see <see cref="Leadership"/>).</summary>
    public void Leading(string job, bool held) => _leading[job] = held ? 1 : 0;

    /// <summary>The database's counts, read in the background: scrapes never query the database themselves.</summary>
    public void Update(OperationalCounts counts) => _counts = counts;

    private IEnumerable<Measurement<long>> ObservePending()
    {
        var counts = _counts;
        return Targets.Select(target => new Measurement<long>(counts.Pending(target)?.Count ?? 0, new KeyValuePair<string, object?>("target", target)));
    }

    private IEnumerable<Measurement<double>> ObserveOldestAge()
    {
        var counts = _counts;
        var now = _time.GetUtcNow();
        return Targets.Select(target => new Measurement<double>(
            counts.Pending(target) is { } pending ? Math.Max(0, (now - pending.OldestCreated).TotalSeconds) : 0,
            new KeyValuePair<string, object?>("target", target)));
    }

    private IEnumerable<Measurement<int>> ObserveLeading() =>
        [.. _leading.Select(job => new Measurement<int>(job.Value, new KeyValuePair<string, object?>("job", job.Key)))];

    private IEnumerable<Measurement<long>> ObserveSubscribers()
    {
        var counts = _counts;
        return
        [
            new(counts.ActiveSubscribers, new KeyValuePair<string, object?>("state", "active")),
            new(counts.InactiveSubscribers, new KeyValuePair<string, object?>("state", "inactive")),
        ];
    }
}
