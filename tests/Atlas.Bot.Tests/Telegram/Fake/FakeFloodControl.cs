namespace Atlas.Bot.Tests.Telegram.Fake;

/// <summary>Telegram's documented flood limits, as the fake enforces them.</summary>
/// <param name="Slack">
/// How much shorter than the exact window the fake counts, to loosen it on request (the load harness's --slack-ms).
/// Zero by default: Telegram promises no slack, so a sender must stay within the limits as the server sees them.
/// </param>
/// <param name="CountsEdits">
/// Whether an accepted edit (editMessageText, editMessageCaption, editMessageMedia, editMessageReplyMarkup) takes a place
/// in the same windows as a message: per chat, per group and overall. On by default. Telegram documents its limits for
/// sending only, yet bots that edit fast get "Too Many Requests: retry after N" for edits, and it says limits differ
/// between chats; the only assumption a sender can rely on is that an edit costs what a message costs.
/// </param>
/// <param name="CountsDeletes">
/// Whether an accepted deleteMessage takes a place in the windows. Off by default: Telegram documents no limit for
/// deleting, so a strict default here would be a guess. Turn it on to check a sender that paces deletions like messages.
/// </param>
public sealed record FakeFloodLimits(
    bool Enabled = true,
    int PrivatePerSecond = 1,
    int GroupPerMinute = 20,
    int GlobalPerSecond = 30,
    TimeSpan Slack = default,
    bool CountsEdits = true,
    bool CountsDeletes = false)
{
    /// <summary>Telegram's limits, counted strictly: accepted messages in any window, at the moment they arrived.</summary>
    public static FakeFloodLimits Telegram { get; } = new();

    public static FakeFloodLimits None { get; } = new(Enabled: false);
}

/// <summary>
/// Accepted messages per chat and overall, each at the moment its request arrived; a message is refused with "retry
/// after N" when accepting it would put more than the limit into any window (a second, or a minute for a group)
/// that contains its arrival. Requests handled out of arrival order are judged by arrival all the same.
/// </summary>
internal sealed class FakeFloodControl
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly ArrivalLog _global = new();
    private readonly Dictionary<long, ArrivalLog> _perChat = [];

    public FakeFloodLimits Limits { get; set; } = FakeFloodLimits.Telegram;

    /// <summary>Records one message into <paramref name="chatId"/> that arrived at <paramref name="arrived"/> and returns null, or returns the seconds to wait.</summary>
    public int? TryRecord(long chatId, bool isPrivate, DateTimeOffset arrived)
    {
        var limits = Limits;
        if (!limits.Enabled)
        {
            return null;
        }

        lock (_gate)
        {
            if (!_perChat.TryGetValue(chatId, out var chat))
            {
                chat = new ArrivalLog();
                _perChat[chatId] = chat;
            }

            var chatWait = isPrivate
                ? chat.Wait(arrived, limits.PrivatePerSecond, Second - limits.Slack)
                : chat.Wait(arrived, limits.GroupPerMinute, Minute - limits.Slack);
            var wait = Max(chatWait, _global.Wait(arrived, limits.GlobalPerSecond, Second - limits.Slack));
            if (wait > TimeSpan.Zero)
            {
                return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            }

            chat.Add(arrived);
            _global.Add(arrived);
            return null;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Arrival times of accepted messages, sorted; those older than any window are dropped as new ones come.</summary>
    private sealed class ArrivalLog
    {
        private readonly List<DateTimeOffset> _arrivals = [];

        /// <summary>
        /// Zero when one more arrival at <paramref name="at"/> keeps every window of length <paramref name="window"/>
        /// (half-open, [t, t + window)) at or under <paramref name="limit"/>; else how long until a send would fit.
        /// </summary>
        public TimeSpan Wait(DateTimeOffset at, int limit, TimeSpan window)
        {
            // Nothing older than two windows can share a window with this arrival or any handled soon after it.
            _arrivals.RemoveRange(0, FirstAfter(at - window - window));

            // The windows containing `at` start in (at - window, at]; the fullest of them decides. Arrivals after `at`
            // (handled before this one) count too.
            var from = FirstAfter(at - window);
            if (from == _arrivals.Count)
            {
                return TimeSpan.Zero;
            }

            if (_arrivals[^1] <= at)
            {
                // The usual case, requests handled in the order they arrived: the fullest window is the one ending at `at`.
                return _arrivals.Count - from < limit ? TimeSpan.Zero : _arrivals[from] + window - at;
            }

            var fullest = 0;
            var end = from;
            for (var start = from; start < _arrivals.Count && _arrivals[start] <= at; start++)
            {
                // Window [arrivals[start], arrivals[start] + window): every window containing `at` holds no more than
                // the one starting at its earliest arrival, so these starts (and `at` itself) are all that matter.
                while (end < _arrivals.Count && _arrivals[end] < _arrivals[start] + window)
                {
                    end++;
                }

                fullest = Math.Max(fullest, end - start);
            }

            var fromAt = _arrivals.Count(arrival => arrival >= at && arrival < at + window);
            fullest = Math.Max(fullest, fromAt);
            if (fullest < limit)
            {
                return TimeSpan.Zero;
            }

            // Telegram says how long until the window has room again: until the oldest arrival in it leaves.
            return _arrivals[from] + window - at;
        }

        /// <summary>The index of the first arrival later than <paramref name="time"/>; the count when there is none.</summary>
        private int FirstAfter(DateTimeOffset time)
        {
            var (low, high) = (0, _arrivals.Count);
            while (low < high)
            {
                var middle = (low + high) / 2;
                (low, high) = _arrivals[middle] > time ? (low, middle) : (middle + 1, high);
            }

            return low;
        }

        public void Add(DateTimeOffset at)
        {
            var index = _arrivals.BinarySearch(at);
            _arrivals.Insert(index < 0 ? ~index : index, at);
        }
    }
}
