using System.Globalization;
using Atlas.Bot.Telegram;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Atlas.Bot.Tests.Telegram;

public sealed class RateGovernorTests : IDisposable
{
    private const string Channel = "@atlas_az";
    private const string OtherChannel = "@atlas_en";
    private const string User = "42";

    private readonly FakeTimeProvider _time = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggers;

    public RateGovernorTests() => _loggers = LoggerFactory.Create(logging => logging.AddProvider(_logs));

    public void Dispose() => _loggers.Dispose();

    private RateGovernor Governor(RateLimits? limits = null) =>
        new(Options.Create(limits ?? new RateLimits()), _time, _loggers.CreateLogger<RateGovernor>());

    [Fact]
    public void The_first_message_to_any_chat_goes_at_once()
    {
        var governor = Governor();

        Assert.True(governor.TryAcquire(Channel, out _, out var wait));
        Assert.Equal(TimeSpan.Zero, wait);
    }

    [Fact]
    public void A_send_in_flight_holds_its_place_until_answered_and_a_second_after()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 2 });
        Assert.True(governor.TryAcquire("1001", out var first, out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(governor.TryAcquire("1002", out var second, out _));
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.False(governor.TryAcquire("1003", out _, out var wait));
        Assert.Equal(TimeSpan.MaxValue, wait);

        first.Settle(TurnOutcome.Answered);
        Assert.False(governor.TryAcquire("1003", out _, out wait));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(governor.TryAcquire("1003", out _, out _));
        second.Dispose();
    }

    [Fact]
    public async Task An_answer_that_frees_a_place_hands_the_next_turn_out_a_second_later()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 1 });
        Assert.True(governor.TryAcquire("1001", out var first, out _));
        var next = governor.WaitTurnAsync("1002", CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.False(next.IsCompleted);

        first.Settle(TurnOutcome.Answered);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        (await next.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task An_urgent_send_takes_the_next_global_turn_before_ordinary_ones_waiting()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 1 });
        Send(governor, "1001");
        var ordinary = governor.WaitTurnAsync("1002", urgent: false, CancellationToken.None).AsTask();

        var urgent = governor.WaitTurnAsync(Channel, urgent: true, CancellationToken.None).AsTask();
        Assert.False(governor.TryAcquire("1003", out _, out _));

        _time.Advance(TimeSpan.FromSeconds(1));
        (await urgent.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        Assert.False(ordinary.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        (await ordinary.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task Sends_waiting_for_the_global_budget_get_their_turns_in_the_order_they_came()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 1 });
        Send(governor, "1000");
        var order = new List<string>();
        var waiting = Enumerable.Range(1, 3)
            .Select(i => Track(governor.WaitTurnAsync($"100{i}", CancellationToken.None), $"100{i}", order))
            .ToList();

        for (var turn = 1; turn <= 3; turn++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await waiting[turn - 1].WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(turn, order.Count);
        }

        Assert.Equal(["1001", "1002", "1003"], order);
    }

    [Fact]
    public void A_channel_waiting_for_its_own_minute_does_not_hold_up_the_fan_out()
    {
        var governor = Governor();
        for (var i = 0; i < 20; i++)
        {
            Send(governor, Channel);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var channelPost = governor.WaitTurnAsync(Channel, urgent: true, CancellationToken.None);

        Assert.False(channelPost.IsCompleted);
        Assert.True(governor.TryAcquire(User, out _, out _));
    }

    [Fact]
    public async Task A_cancelled_wait_gives_up_its_place_in_the_queue()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 1 });
        Send(governor, "1000");
        using var cancellation = new CancellationTokenSource();
        var cancelled = governor.WaitTurnAsync("1001", cancellation.Token).AsTask();
        var next = governor.WaitTurnAsync("1002", CancellationToken.None).AsTask();

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        _time.Advance(TimeSpan.FromSeconds(1));

        (await next.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public void The_global_budget_is_spread_evenly_with_no_burst_at_the_start()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 100 });
        Send(governor, "1000");

        Assert.False(governor.TryAcquire("1001", out _, out var wait));
        Assert.Equal(TimeSpan.FromMilliseconds(10), wait);
        _time.Advance(wait);
        Assert.True(governor.TryAcquire("1001", out _, out _));
    }

    [Fact]
    public void Grants_that_come_late_keep_the_beat_so_the_average_stays_at_the_rate()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 100 });
        var start = _time.GetUtcNow();
        var granted = 0;
        while (granted < 100)
        {
            // As a timer would: every turn comes 3 ms after it was due.
            if (Send(governor, (1000 + granted).ToString(CultureInfo.InvariantCulture), out var wait))
            {
                granted++;
                continue;
            }

            _time.Advance(wait + TimeSpan.FromMilliseconds(3));
        }

        // 100 sends at 100 a second, each turn 3 ms late: the last is 3 ms late, not 300.
        Assert.Equal(TimeSpan.FromMilliseconds(993), _time.GetUtcNow() - start);
    }

    [Fact]
    public void After_a_pause_sending_resumes_at_the_pace_not_in_a_burst()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 10 });
        Send(governor, "1000");
        _time.Advance(TimeSpan.FromMinutes(5));

        Send(governor, "1001");

        Assert.False(governor.TryAcquire("1002", out _, out var wait));
        Assert.Equal(TimeSpan.FromMilliseconds(100), wait);
    }

    [Fact]
    public void A_send_that_delivered_nothing_gives_its_place_back()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 2 });
        Send(governor, "1001");
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(governor.TryAcquire("1002", out var blocked, out _));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.False(governor.TryAcquire("1003", out _, out _));

        blocked.Settle(new SendResult.Blocked("Forbidden: bot was blocked by the user"));

        Assert.True(governor.TryAcquire("1003", out _, out _));
        Assert.False(governor.TryAcquire("1004", out _, out _));
    }

    [Fact]
    public void A_private_chat_gets_one_message_a_second_counted_from_the_answer()
    {
        var governor = Governor();
        Assert.True(governor.TryAcquire(User, out var turn, out _));
        _time.Advance(TimeSpan.FromMilliseconds(200));
        turn.Settle(TurnOutcome.Answered);

        Assert.False(governor.TryAcquire(User, out _, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);

        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(governor.TryAcquire(User, out _, out _));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(governor.TryAcquire(User, out _, out _));
    }

    [Fact]
    public void The_21st_message_into_a_channel_waits_until_the_first_leaves_the_minute()
    {
        var governor = Governor();
        for (var i = 0; i < 20; i++)
        {
            Assert.True(Send(governor, Channel), $"message {i + 1}");
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.False(governor.TryAcquire(Channel, out _, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(40), wait);

        _time.Advance(TimeSpan.FromSeconds(40));
        Assert.True(governor.TryAcquire(Channel, out _, out _));
    }

    [Fact]
    public void A_bursty_channel_never_gets_more_than_20_into_any_minute()
    {
        var governor = Governor(new RateLimits { PerChatPerSecond = 100 });
        var sends = new List<TimeSpan>();
        for (var tick = TimeSpan.Zero; tick < TimeSpan.FromMinutes(5); tick += TimeSpan.FromMilliseconds(250))
        {
            if (Send(governor, Channel))
            {
                sends.Add(tick);
            }

            _time.Advance(TimeSpan.FromMilliseconds(250));
        }

        Assert.Equal(20, sends.Count(s => s < TimeSpan.FromSeconds(5)));
        foreach (var start in sends)
        {
            Assert.True(sends.Count(s => s >= start && s < start + TimeSpan.FromMinutes(1)) <= 20, $"window at {start}");
        }

        Assert.Equal(100, sends.Count);
    }

    [Fact]
    public void Thirty_messages_a_second_go_out_evenly_across_many_chats_and_the_31st_waits_for_the_first_answer()
    {
        var governor = Governor();
        var start = _time.GetUtcNow();
        var sent = 0;
        while (sent < 30)
        {
            if (!Send(governor, (sent + 1).ToString(CultureInfo.InvariantCulture), out var pause))
            {
                _time.Advance(pause);
                continue;
            }

            sent++;
        }

        var elapsed = _time.GetUtcNow() - start;
        Assert.Equal(TimeSpan.FromTicks(29 * 333_333), elapsed);
        Assert.False(governor.TryAcquire("31", out _, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(1), elapsed + wait);
        _time.Advance(wait);
        Assert.True(governor.TryAcquire("31", out _, out _));
    }

    [Fact]
    public void A_channel_waiting_its_turn_does_not_hold_up_other_chats()
    {
        var governor = Governor();
        Send(governor, Channel);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.False(governor.TryAcquire(Channel, out _, out _));

        Assert.True(Send(governor, OtherChannel));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(Send(governor, User));
    }

    [Fact]
    public void A_429_blocks_its_chat_for_retry_after_and_pauses_everyone_for_at_most_a_second()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 10 });
        Assert.True(governor.TryAcquire(Channel, out var turn, out _));
        turn.Settle(new SendResult.RetryAfter(TimeSpan.FromSeconds(7)));

        Assert.False(governor.TryAcquire(OtherChannel, out _, out var everyone));
        Assert.Equal(TimeSpan.FromSeconds(1), everyone);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Send(governor, OtherChannel));
        Assert.False(governor.TryAcquire(Channel, out _, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(6), wait);

        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(governor.TryAcquire(Channel, out _, out _));
    }

    [Fact]
    public void A_429_lowers_the_pace_by_a_tenth_once_for_all_the_sends_already_on_the_way()
    {
        var governor = Governor();
        var onTheWay = new List<SendTurn>();
        for (var i = 1; i <= 3; i++)
        {
            onTheWay.Add(Grant(governor, $"100{i}"));
            _time.Advance(TimeSpan.FromMilliseconds(40));
        }

        onTheWay.ForEach(turn => turn.Settle(TurnOutcome.TooManyRequests, TimeSpan.FromSeconds(1)));

        Assert.Equal(27, governor.Pace, precision: 6);
        Assert.Single(_logs.Messages, line => line.Contains("pace lowered from 30 to 27 messages a second (at most 27 in any second)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_429_for_a_send_granted_after_the_slow_down_lowers_the_pace_again()
    {
        var governor = Governor();
        Grant(governor, "1001").Settle(TurnOutcome.TooManyRequests, TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));

        Grant(governor, "1002").Settle(TurnOutcome.TooManyRequests, TimeSpan.FromSeconds(1));

        Assert.Equal(24.3, governor.Pace, precision: 6);
    }

    [Fact]
    public void A_lowered_pace_holds_fewer_sends_in_any_second()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 10 });
        Grant(governor, "1000").Settle(TurnOutcome.TooManyRequests, TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));

        var granted = SendFor(governor, TimeSpan.FromSeconds(1));

        Assert.Equal(9, governor.Pace, precision: 6);
        Assert.Equal(9, granted);
    }

    [Fact]
    public void Without_429s_the_pace_climbs_back_slowly_to_the_ceiling_and_no_further()
    {
        var governor = Governor();
        Grant(governor, "1001").Settle(TurnOutcome.TooManyRequests, TimeSpan.FromSeconds(1));

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(27, governor.Pace, precision: 6);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(27.3, governor.Pace, precision: 6);
        _time.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(30, governor.Pace, precision: 6);

        Assert.Equal(2, _logs.Messages.Count(line => line.Contains("pace raised", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_restarted_governor_waits_out_what_Telegram_still_counts_from_before()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 2 });

        governor.RememberSent(User, TimeSpan.FromMilliseconds(300));
        governor.RememberSent(Channel, TimeSpan.FromMilliseconds(100));

        // Both places of the global second are taken until the older send leaves it; so is the user's own second.
        Assert.False(governor.TryAcquire("43", out _, out var wait));
        Assert.Equal(TimeSpan.FromMilliseconds(700), wait);
        _time.Advance(wait);
        Assert.True(governor.TryAcquire(User, out _, out _));
    }

    [Fact]
    public async Task WaitTurnAsync_returns_when_the_window_allows()
    {
        var governor = Governor();
        (await governor.WaitTurnAsync(User, CancellationToken.None)).Dispose();

        var second = governor.WaitTurnAsync(User, CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        Assert.False(governor.TryAcquire(User, out _, out _));
    }

    [Fact]
    public async Task WaitTurnAsync_stops_waiting_when_cancelled()
    {
        var governor = Governor();
        (await governor.WaitTurnAsync(User, CancellationToken.None)).Dispose();
        using var cancellation = new CancellationTokenSource();

        var waiting = governor.WaitTurnAsync(User, cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public void A_refused_turn_claims_nothing()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 1 });
        Assert.True(Send(governor, Channel));
        Assert.False(governor.TryAcquire(OtherChannel, out _, out _));

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(governor.TryAcquire(OtherChannel, out _, out _));
    }

    [Fact]
    public void Idle_chats_are_forgotten_but_not_those_with_a_send_in_flight()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 1000 });
        for (var user = 1; user <= 25; user++)
        {
            Assert.True(Send(governor, user.ToString(CultureInfo.InvariantCulture), out _));
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        var inFlight = Grant(governor, Channel);
        Assert.Equal(26, governor.TrackedChats);

        _time.Advance(TimeSpan.FromMinutes(1));
        Send(governor, OtherChannel);

        Assert.Equal(2, governor.TrackedChats);
        inFlight.Dispose();
    }

    [Theory]
    [InlineData("42", true)]
    [InlineData("-1001234567890", false)]
    [InlineData("-42", false)]
    [InlineData("@atlas_az", false)]
    public void The_chat_kind_follows_from_the_id(string chat, bool isPrivate) =>
        Assert.Equal(isPrivate, RateGovernor.IsPrivate(chat));

    [Fact]
    public async Task Concurrent_callers_never_get_more_than_the_limit()
    {
        var governor = Governor();

        var granted = await Task.WhenAll(Enumerable.Repeat(governor, 64).Select(g => Task.Run(() => g.TryAcquire(User, out _, out _))));

        Assert.Single(granted, ok => ok);
    }

    private static SendTurn Grant(RateGovernor governor, string chat)
    {
        Assert.True(governor.TryAcquire(chat, out var turn, out var wait), $"no turn for {chat}: wait {wait}");
        return turn;
    }

    /// <summary>A send answered at once, when the governor allows it now.</summary>
    private static bool Send(RateGovernor governor, string chat) => Send(governor, chat, out _);

    private static bool Send(RateGovernor governor, string chat, out TimeSpan wait)
    {
        if (!governor.TryAcquire(chat, out var turn, out wait))
        {
            return false;
        }

        turn.Settle(TurnOutcome.Answered);
        return true;
    }

    /// <summary>Sends to new private chats, answered at once, as fast as the governor allows for <paramref name="span"/>.</summary>
    private int SendFor(RateGovernor governor, TimeSpan span)
    {
        var end = _time.GetUtcNow() + span;
        var granted = 0;
        while (_time.GetUtcNow() < end)
        {
            if (Send(governor, (5000 + granted).ToString(CultureInfo.InvariantCulture), out var wait))
            {
                granted++;
                continue;
            }

            _time.Advance(wait < end - _time.GetUtcNow() ? wait : end - _time.GetUtcNow());
        }

        return granted;
    }

    private static async Task Track(ValueTask<SendTurn> turn, string chat, List<string> order)
    {
        (await turn).Dispose();
        lock (order)
        {
            order.Add(chat);
        }
    }
}
