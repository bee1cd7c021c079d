using Atlas.Bot.Posts;
using Atlas.Bot.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Atlas.Bot.Tests.Telegram;

/// <summary>The governor's pacing against the fake's flood control, on one shared fake clock.</summary>
public sealed class GovernedSendingTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private FakeBotApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeBotApi.StartAsync(_time);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Sending_only_when_the_governor_allows_never_meets_a_429()
    {
        var governor = new RateGovernor(Options.Create(new RateLimits()), _time);
        var sender = new TelegramSender(_api.CreateClient(), NullLogger<TelegramSender>.Instance);
        string[] chats = ["@atlas_az", "@atlas_en", "42", "43"];
        var pending = chats.ToDictionary(chat => chat, _ => 25);

        while (pending.Values.Any(left => left > 0))
        {
            var shortest = TimeSpan.MaxValue;
            foreach (var chat in chats.Where(chat => pending[chat] > 0))
            {
                if (!governor.TryAcquire(chat, out var turn, out var wait))
                {
                    shortest = wait < shortest ? wait : shortest;
                    continue;
                }

                var result = await sender.SendAsync(chat, new OutgoingMessage(Post.Text($"post {pending[chat]}")), CancellationToken.None);
                turn.Settle(result);
                Assert.IsType<SendResult.Sent>(result);
                pending[chat]--;
            }

            if (shortest != TimeSpan.MaxValue)
            {
                _time.Advance(shortest);
            }
        }

        Assert.Equal(100, _api.Messages.Count);
        var channel = _api.Messages.Where(m => m.Chat == "@atlas_az").Select(m => m.At).ToList();
        Assert.Equal(TimeSpan.FromSeconds(60), channel[20] - channel[0]);
    }
}
