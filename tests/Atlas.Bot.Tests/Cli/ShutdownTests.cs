using System.Diagnostics;
using Atlas.Bot.Tests.EndToEnd;
using Atlas.Bot.Tests.Feeds.Fake;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram.Fake;
using Xunit.Abstractions;

namespace Atlas.Bot.Tests.Cli;

/// <summary>The real program, stopped with SIGTERM in the middle of a broadcast and started again.</summary>
public sealed class ShutdownTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string Announcement = "The center's annual report is out: read it on atlas.az.";
    private const int Subscribers = 300;
    private const long FirstChat = 5001;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>What ops allow between SIGTERM and SIGKILL.</summary>
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(10);

    private readonly TempFolder _folder = new();
    private TempDatabase _db = null!;
    private FeedServer _feeds = null!;
    private FakeBotApi _telegram = null!;

    public async Task InitializeAsync()
    {
        _db = await TempDatabase.CreateAsync();
        _feeds = await FeedServer.StartAsync();
        _telegram = await FakeBotApi.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _telegram.DisposeAsync();
        await _feeds.DisposeAsync();
        await _db.DisposeAsync();
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_SIGTERM_during_a_broadcast_exits_0_in_time_and_the_restart_finishes_it_with_no_post_lost_or_sent_twice()
    {
        await QueueBroadcastAsync();
        _feeds.Publish("/en.xml", WordPressFeed.Rss(new Article(1)));
        var config = Path.Combine(_folder.Path, "atlas-bot.json");
        await File.WriteAllTextAsync(config, "{}");

        using (var bot = AtlasBotProcess.Start(_folder.Path, Environment(), "run", "--config", config))
        {
            await _telegram.WaitForMessagesAsync(50, Patience);
            var stopping = Stopwatch.StartNew();
            await bot.TerminateAsync();

            Assert.Equal(0, await bot.ExitCodeAsync(StopDeadline));
            output.WriteLine($"stopped {stopping.Elapsed.TotalSeconds:0.00} s after SIGTERM, {_telegram.Messages.Count} of {Subscribers} sent");
            Assert.DoesNotContain("Unhandled exception", bot.Output + bot.Error, StringComparison.Ordinal);
        }

        Assert.InRange(_telegram.Messages.Count, 50, Subscribers - 1);

        using (var bot = AtlasBotProcess.Start(_folder.Path, Environment(), "run", "--config", config))
        {
            await _telegram.WaitForMessagesAsync(Subscribers, Patience);
            await Task.Delay(TimeSpan.FromSeconds(2)); // anything sent twice would arrive now
            await bot.TerminateAsync();
            Assert.Equal(0, await bot.ExitCodeAsync(StopDeadline));
        }

        var announced = _telegram.Messages.Where(message => message.Text == Announcement).Select(message => message.ChatId).Order();
        Assert.Equal(Enumerable.Range(0, Subscribers).Select(i => FirstChat + i), announced);
        Assert.Equal(Subscribers, _telegram.Messages.Count);
    }

    [Fact]
    public async Task A_SIGTERM_while_a_feed_hangs_does_not_wait_for_the_fetch_to_time_out()
    {
        _feeds.Hang("/en.xml");
        var config = Path.Combine(_folder.Path, "atlas-bot.json");
        await File.WriteAllTextAsync(config, "{}");

        using var bot = AtlasBotProcess.Start(_folder.Path, Environment(), "run", "--config", config);
        await _feeds.Arrival("/en.xml").WaitAsync(Patience);
        var stopping = Stopwatch.StartNew();
        await bot.TerminateAsync();

        // The fetch would wait 30 s for the hung site, and the host would cut it off after its 8 s shutdown
        // timeout; the poll follows the shutdown instead.
        Assert.Equal(0, await bot.ExitCodeAsync(TimeSpan.FromSeconds(5)));
        output.WriteLine($"stopped {stopping.Elapsed.TotalSeconds:0.00} s after SIGTERM with a poll under way");
        Assert.Contains("Feed en poll stopped: shutting down", bot.Output, StringComparison.Ordinal);
    }

    private async Task QueueBroadcastAsync()
    {
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < Subscribers; i++)
        {
            await _db.Store.SubscribeAsync(FirstChat + i, "private", null, "en", ["en"], now, CancellationToken.None);
        }

        var draft = await _db.Store.CreateBroadcastDraftAsync("broadcast:annual-report", Announcement, createdBy: 1, now, CancellationToken.None);
        Assert.Equal(Subscribers, await _db.Store.ConfirmBroadcastAsync(draft, confirmedBy: 1, now, CancellationToken.None));
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["Telegram__BotToken"] = _telegram.Token,
        ["Telegram__ApiBaseUrl"] = _telegram.BaseUrl,
        ["Telegram__Updates"] = "Off",
        ["Storage__ConnectionString"] = _db.ConnectionString,
        ["Urls"] = "http://127.0.0.1:0",
        ["Feeds__0__Id"] = "en",
        ["Feeds__0__Url"] = _feeds.Url("/en.xml").ToString(),
        ["Feeds__0__Language"] = "en",
        ["Feeds__0__Channels__0"] = "@atlas_en",
        ["Feeds__0__Schedule"] = "0/5 * * * * ?",
    };
}
