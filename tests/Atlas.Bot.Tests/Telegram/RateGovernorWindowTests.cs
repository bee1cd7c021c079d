using System.Globalization;
using Atlas.Bot.Telegram;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Atlas.Bot.Tests.Telegram;

/// <summary>
/// The governor's promise, as a property: whatever the schedule and the answer times (0-300 ms), no window at the
/// server holds more than a limit allows, where the server sees each send at some moment between its start and its
/// answer. Each seed plays a different random fan-out on a fake clock.
/// </summary>
public sealed class RateGovernorWindowTests
{
    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void No_window_at_the_server_ever_holds_more_than_a_limit_whatever_the_latency(int seed)
    {
        var random = new Random(seed);
        var limits = new RateLimits { GlobalPerSecond = random.GetItems<int>([2, 5, 10, 30], 1)[0], GroupPerMinute = random.GetItems<int>([3, 20], 1)[0] };
        var run = new Simulation(limits, random);
        string[] chats = [.. Enumerable.Range(1, 60).Select(i => (1000 + i).ToString(CultureInfo.InvariantCulture)), "-1001", "-1002", "@atlas_az"];
        foreach (var chat in chats)
        {
            run.Pending[chat] = chat.StartsWith('-') || chat.StartsWith('@') ? random.Next(0, 30) : random.Next(0, 5);
        }

        var arrivals = run.Play();

        Assert.Equal(0, run.Pending.Values.Sum());
        AssertAtMost(limits.GlobalPerSecond, TimeSpan.FromSeconds(1), arrivals.Select(arrival => arrival.At), "overall");
        foreach (var chat in arrivals.GroupBy(arrival => arrival.Chat))
        {
            var times = chat.Select(arrival => arrival.At).ToList();
            AssertAtMost(limits.PerChatPerSecond, TimeSpan.FromSeconds(1), times, chat.Key);
            if (!RateGovernor.IsPrivate(chat.Key))
            {
                AssertAtMost(limits.GroupPerMinute, TimeSpan.FromMinutes(1), times, chat.Key);
            }
        }
    }

    [Fact]
    public void With_instant_answers_a_fan_out_runs_at_the_full_limit()
    {
        var run = new Simulation(new RateLimits(), new Random(7), maxLatency: TimeSpan.Zero, blockedShare: 0);
        foreach (var chat in Enumerable.Range(1, 300))
        {
            run.Pending[(1000 + chat).ToString(CultureInfo.InvariantCulture)] = 1;
        }

        var arrivals = run.Play();

        // 300 sends at 30 a second: the last one 10 s (less one interval) after the first.
        Assert.Equal(300, arrivals.Count);
        Assert.InRange(arrivals.Max(arrival => arrival.At) - arrivals.Min(arrival => arrival.At), TimeSpan.FromSeconds(9.9), TimeSpan.FromSeconds(10));
    }

    private static void AssertAtMost(int limit, TimeSpan window, IEnumerable<TimeSpan> arrivals, string what)
    {
        var sorted = arrivals.Order().ToArray();
        var end = 0;
        for (var start = 0; start < sorted.Length; start++)
        {
            while (end < sorted.Length && sorted[end] < sorted[start] + window)
            {
                end++;
            }

            Assert.True(end - start <= limit, $"{what}: {end - start} arrivals in the {window} from {sorted[start]} (limit {limit})");
        }
    }

    private sealed record Arrival(string Chat, TimeSpan At);

    private sealed record InFlight(SendTurn Turn, string Chat, TimeSpan AnswerAt, TimeSpan ArrivesAt, bool Delivered);

    /// <summary>
    /// A discrete-event fan-out: each step answers what is due, asks the governor for every chat with something
    /// pending, and moves the clock to the next answer or the next turn the governor named.
    /// </summary>
    private sealed class Simulation(RateLimits limits, Random random, TimeSpan? maxLatency = null, double blockedShare = 0.1)
    {
        private readonly FakeTimeProvider _time = new();
        private readonly TimeSpan _maxLatency = maxLatency ?? TimeSpan.FromMilliseconds(300);

        public Dictionary<string, int> Pending { get; } = new(StringComparer.Ordinal);

        public List<Arrival> Play()
        {
            using var governor = new RateGovernor(Options.Create(limits), _time);
            var start = _time.GetUtcNow();
            TimeSpan Now() => _time.GetUtcNow() - start;
            var inFlight = new List<InFlight>();
            var arrivals = new List<Arrival>();
            for (var step = 0; step < 200_000 && (Pending.Values.Any(left => left > 0) || inFlight.Count > 0); step++)
            {
                foreach (var send in inFlight.Where(send => send.AnswerAt <= Now()).ToList())
                {
                    // Some sends meet a chat that blocked the bot: the server counts nothing for them.
                    send.Turn.Settle(send.Delivered ? TurnOutcome.Answered : TurnOutcome.NotDelivered);
                    inFlight.Remove(send);
                }

                var next = TimeSpan.MaxValue;
                foreach (var chat in Pending.Keys.Where(chat => Pending[chat] > 0).OrderBy(_ => random.Next()).ToList())
                {
                    if (!governor.TryAcquire(chat, out var turn, out var wait))
                    {
                        next = wait < next ? wait : next;
                        continue;
                    }

                    Pending[chat]--;
                    var latency = TimeSpan.FromTicks((long)(random.NextDouble() * _maxLatency.Ticks));
                    var arrivesAt = Now() + TimeSpan.FromTicks((long)(random.NextDouble() * latency.Ticks));
                    var delivered = random.NextDouble() >= blockedShare;
                    inFlight.Add(new InFlight(turn, chat, Now() + latency, arrivesAt, delivered));
                    if (delivered)
                    {
                        arrivals.Add(new Arrival(chat, arrivesAt));
                    }
                }

                foreach (var send in inFlight)
                {
                    next = send.AnswerAt - Now() < next ? send.AnswerAt - Now() : next;
                }

                if (next != TimeSpan.MaxValue && next > TimeSpan.Zero)
                {
                    _time.Advance(next);
                }
            }

            return arrivals;
        }
    }
}
