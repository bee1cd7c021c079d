using Atlas.Bot.Telegram;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Atlas.Bot.Tests.Telegram;

public sealed class RateGovernorTests
{
    private const string Channel = "@atlas_az";
    private const string OtherChannel = "@atlas_en";
    private const string User = "42";

    private readonly FakeTimeProvider _time = new();
    private readonly DateTimeOffset _start;

    public RateGovernorTests() => _start = _time.GetUtcNow();

    private RateGovernor Governor(RateLimits? limits = null) => new(Options.Create(limits ?? new RateLimits()), _time);

    [Fact]
    public void The_first_message_to_any_chat_goes_at_once()
    {
        var governor = Governor();

        Assert.True(governor.TryAcquire(Channel, out var wait));
        Assert.Equal(TimeSpan.Zero, wait);
    }

    [Fact]
    public async Task An_urgent_send_takes_the_next_global_turn_before_ordinary_ones_waiting()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 1 });
        Assert.True(governor.TryAcquire("1001", out _));
        var ordinary = governor.WaitTurnAsync("1002", urgent: false, CancellationToken.None).AsTask();

        var urgent = governor.WaitTurnAsync(Channel, urgent: true, CancellationToken.None).AsTask();
        Assert.False(governor.TryAcquire("1003", out _));

        _time.Advance(TimeSpan.FromSeconds(1));
        await urgent.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(ordinary.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        await ordinary.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Sends_waiting_for_the_global_budget_get_their_turns_in_the_order_they_came()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 1 });
        Assert.True(governor.TryAcquire("1000", out _));
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
            Assert.True(governor.TryAcquire(Channel, out _));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var channelPost = governor.WaitTurnAsync(Channel, urgent: true, CancellationToken.None);

        Assert.False(channelPost.IsCompleted);
        Assert.True(governor.TryAcquire(User, out _));
    }

    [Fact]
    public async Task A_cancelled_wait_gives_up_its_place_in_the_queue()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 1 });
        Assert.True(governor.TryAcquire("1000", out _));
        using var cancellation = new CancellationTokenSource();
        var cancelled = governor.WaitTurnAsync("1001", cancellation.Token).AsTask();
        var next = governor.WaitTurnAsync("1002", CancellationToken.None).AsTask();

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        _time.Advance(TimeSpan.FromSeconds(1));

        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void The_global_budget_is_spread_evenly_rather_than_spent_in_one_burst()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 100 });
        var atOnce = 0;
        while (governor.TryAcquire((1000 + atOnce).ToString(System.Globalization.CultureInfo.InvariantCulture), out _))
        {
            atOnce++;
        }

        Assert.Equal(10, atOnce);
        Assert.False(governor.TryAcquire("2000", out var wait));
        Assert.Equal(TimeSpan.FromMilliseconds(10), wait);
    }

    [Fact]
    public void A_refused_send_gives_its_place_in_the_global_budget_back()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 2 });
        Assert.True(governor.TryAcquire("1001", out _));
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(governor.TryAcquire("1002", out _));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.False(governor.TryAcquire("1003", out _));

        governor.Refund();

        Assert.True(governor.TryAcquire("1003", out _));
        Assert.False(governor.TryAcquire("1004", out _));
    }

    [Fact]
    public void A_private_chat_gets_one_message_a_second()
    {
        var governor = Governor();
        Assert.True(governor.TryAcquire(User, out _));

        Assert.False(governor.TryAcquire(User, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);

        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(governor.CanSendNow(User));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(governor.TryAcquire(User, out _));
    }

    [Fact]
    public void The_21st_message_into_a_channel_waits_until_the_first_leaves_the_minute()
    {
        var governor = Governor();
        for (var i = 0; i < 20; i++)
        {
            Assert.True(governor.TryAcquire(Channel, out _), $"message {i + 1}");
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.False(governor.TryAcquire(Channel, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(40), wait);

        _time.Advance(TimeSpan.FromSeconds(40));
        Assert.True(governor.TryAcquire(Channel, out _));
    }

    [Fact]
    public void A_bursty_channel_never_gets_more_than_20_into_any_minute()
    {
        var governor = Governor(new RateLimits { PerChatPerSecond = 100 });
        var sends = new List<TimeSpan>();
        for (var tick = TimeSpan.Zero; tick < TimeSpan.FromMinutes(5); tick += TimeSpan.FromMilliseconds(250))
        {
            if (governor.TryAcquire(Channel, out _))
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
    public void Thirty_messages_a_second_go_out_across_many_chats_and_the_31st_waits()
    {
        var governor = Governor();
        var sent = 0;
        while (sent < 30)
        {
            if (!governor.TryAcquire((sent + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), out var pause))
            {
                _time.Advance(pause);
                continue;
            }

            sent++;
        }

        var elapsed = _time.GetUtcNow() - _start;
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"30 took {elapsed}");
        Assert.False(governor.TryAcquire("31", out var wait));
        Assert.Equal(TimeSpan.FromSeconds(1), elapsed + wait);
        _time.Advance(wait);
        Assert.True(governor.TryAcquire("31", out _));
    }

    [Fact]
    public void A_channel_waiting_its_turn_does_not_hold_up_other_chats()
    {
        var governor = Governor();
        Assert.True(governor.TryAcquire(Channel, out _));
        Assert.False(governor.CanSendNow(Channel));

        Assert.True(governor.TryAcquire(OtherChannel, out _));
        Assert.True(governor.TryAcquire(User, out _));
    }

    [Fact]
    public void A_429_blocks_its_chat_for_retry_after_and_pauses_everyone_for_at_most_a_second()
    {
        var governor = Governor();
        governor.Penalize(Channel, TimeSpan.FromSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(7), governor.Delay(Channel));
        Assert.Equal(TimeSpan.FromSeconds(1), governor.Delay(OtherChannel));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(governor.TryAcquire(OtherChannel, out _));
        Assert.False(governor.TryAcquire(Channel, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(6), wait);

        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(governor.TryAcquire(Channel, out _));
    }

    [Fact]
    public async Task WaitTurnAsync_returns_when_the_window_allows()
    {
        var governor = Governor();
        await governor.WaitTurnAsync(User, CancellationToken.None);

        var second = governor.WaitTurnAsync(User, CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(governor.CanSendNow(User));
    }

    [Fact]
    public async Task WaitTurnAsync_stops_waiting_when_cancelled()
    {
        var governor = Governor();
        await governor.WaitTurnAsync(User, CancellationToken.None);
        using var cancellation = new CancellationTokenSource();

        var waiting = governor.WaitTurnAsync(User, cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public void A_refused_turn_claims_nothing()
    {
        var governor = Governor(new RateLimits { GlobalPerSecond = 1 });
        Assert.True(governor.TryAcquire(Channel, out _));
        Assert.False(governor.TryAcquire(OtherChannel, out _));

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(governor.TryAcquire(OtherChannel, out _));
    }

    [Fact]
    public void Idle_chats_are_forgotten()
    {
        var governor = Governor();
        for (var user = 1; user <= 25; user++)
        {
            governor.TryAcquire(user.ToString(System.Globalization.CultureInfo.InvariantCulture), out _);
        }

        governor.TryAcquire(Channel, out _);
        Assert.Equal(26, governor.TrackedChats);

        _time.Advance(TimeSpan.FromMinutes(1));
        governor.TryAcquire(OtherChannel, out _);

        Assert.Equal(1, governor.TrackedChats);
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

        var granted = await Task.WhenAll(Enumerable.Repeat(governor, 64).Select(g => Task.Run(() => g.TryAcquire(User, out _))));

        Assert.Single(granted, ok => ok);
    }

    private static async Task Track(ValueTask turn, string chat, List<string> order)
    {
        await turn;
        lock (order)
        {
            order.Add(chat);
        }
    }
}
