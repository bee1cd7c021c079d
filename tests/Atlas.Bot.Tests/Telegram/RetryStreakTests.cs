using Atlas.Bot.Telegram;

namespace Atlas.Bot.Tests.Telegram;

public sealed class RetryStreakTests
{
    private static readonly ApiFailure ServerError = new(ApiFailureKind.ServerError, "500");
    private static readonly ApiFailure Conflict = new(ApiFailureKind.Conflict, "409");

    [Fact]
    public void Waits_double_from_one_second_up_to_a_minute_and_start_over_after_a_success()
    {
        var streak = new RetryStreak(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        var waits = Enumerable.Range(0, 8).Select(_ => streak.Fail(ServerError).Delay.TotalSeconds).ToArray();
        var failures = streak.Succeed();

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60], waits);
        Assert.Equal(8, failures);
        Assert.Equal(TimeSpan.FromSeconds(1), streak.Fail(ServerError).Delay);
    }

    [Fact]
    public void Each_kind_of_failure_is_new_once_per_streak()
    {
        var streak = new RetryStreak(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        var firsts = new[] { ServerError, ServerError, Conflict, ServerError, Conflict }.Select(failure => streak.Fail(failure).FirstOfKind);
        Assert.Equal([true, false, true, false, false], firsts);

        streak.Succeed();
        Assert.True(streak.Fail(ServerError).FirstOfKind);
        Assert.False(streak.Fail(null).FirstOfKind);
    }

    [Fact]
    public void Telegrams_retry_after_wins_when_it_asks_for_longer()
    {
        var streak = new RetryStreak(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        Assert.Equal(TimeSpan.FromSeconds(30), streak.Fail(new ApiFailure(ApiFailureKind.TooManyRequests, "429", TimeSpan.FromSeconds(30))).Delay);
    }
}
