namespace Atlas.Bot.Delivery;

/// <summary>
/// Tells the admins, once per problem, when a feed keeps failing, a channel refuses the bot, or Telegram's
/// flood control has held the dispatcher for long — and once more when it is over.
/// </summary>
public sealed class AdminAlerts
{
    public Task FeedPolledAsync(string feedId, bool succeeded, string? reason, int failuresInARow, CancellationToken ct) => Task.CompletedTask;

    public Task ChannelBlockedAsync(string chat, string reason, CancellationToken ct) => Task.CompletedTask;

    public Task ChannelSentAsync(string chat, CancellationToken ct) => Task.CompletedTask;

    public Task RateLimitedAsync(TimeSpan retryAfter, CancellationToken ct) => Task.CompletedTask;

    public Task SentAsync(CancellationToken ct) => Task.CompletedTask;
}
