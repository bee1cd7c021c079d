namespace Atlas.Bot.Tests.Telegram.Fake;

/// <summary>Telegram's documented flood limits, as the fake enforces them.</summary>
/// <param name="Slack">
/// How much earlier than the exact window a send is still accepted. Telegram says "about"; the slack also absorbs the
/// difference between when a sender decides to send and when the request arrives here.
/// </param>
public sealed record FakeFloodLimits(
    bool Enabled = true,
    int PrivatePerSecond = 1,
    int GroupPerMinute = 20,
    int GlobalPerSecond = 30,
    TimeSpan Slack = default)
{
    public static FakeFloodLimits Telegram { get; } = new(Slack: TimeSpan.FromMilliseconds(150));

    public static FakeFloodLimits None { get; } = new(Enabled: false);
}

/// <summary>Sliding-window logs of accepted messages, per chat and overall; answers "retry after N" like Telegram.</summary>
internal sealed class FakeFloodControl(TimeProvider time)
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _global = new();
    private readonly Dictionary<long, Queue<DateTimeOffset>> _perChat = [];

    public FakeFloodLimits Limits { get; set; } = FakeFloodLimits.Telegram;

    /// <summary>Records one message into <paramref name="chatId"/> and returns null, or returns the seconds to wait.</summary>
    public int? TryRecord(long chatId, bool isPrivate)
    {
        var limits = Limits;
        if (!limits.Enabled)
        {
            return null;
        }

        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_perChat.TryGetValue(chatId, out var chat))
            {
                chat = new Queue<DateTimeOffset>();
                _perChat[chatId] = chat;
            }

            var chatWait = isPrivate
                ? Wait(chat, limits.PrivatePerSecond, Second, now, limits.Slack)
                : Wait(chat, limits.GroupPerMinute, Minute, now, limits.Slack);
            var wait = Max(chatWait, Wait(_global, limits.GlobalPerSecond, Second, now, limits.Slack));
            if (wait > TimeSpan.Zero)
            {
                return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            }

            chat.Enqueue(now);
            _global.Enqueue(now);
            return null;
        }
    }

    private static TimeSpan Wait(Queue<DateTimeOffset> log, int limit, TimeSpan window, DateTimeOffset now, TimeSpan slack)
    {
        while (log.Count > 0 && log.Peek() + window - slack <= now)
        {
            log.Dequeue();
        }

        return log.Count < limit ? TimeSpan.Zero : log.Peek() + window - slack - now;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
