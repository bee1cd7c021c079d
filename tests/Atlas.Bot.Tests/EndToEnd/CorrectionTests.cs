using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using static Atlas.Bot.Tests.EndToEnd.WordPressFeed;

namespace Atlas.Bot.Tests.EndToEnd;

/// <summary>
/// The whole host with a correction: an analysis posted to a channel changes in its feed, and the channel's message
/// follows it. Polls every 2 s; the strict fake Bot API keeps each message and answers edits as Telegram does.
/// </summary>
public abstract class CorrectionTests(Provider provider) : HostTest(provider)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private const string Corrected = "Analysis 1: the South Caucasus after the peace treaty, revised";

    [Fact]
    public async Task A_corrected_title_edits_the_same_channel_message_once_and_sends_nothing_new()
    {
        Feeds.Publish("/en.xml", Rss(new Article(1)));
        await using var bot = await StartBotAsync(Settings());
        var posted = Assert.Single(await BotApi.WaitForMessagesAsync(1, Patience));

        Feeds.Publish("/en.xml", Rss(new Article(1) { Retitled = Corrected }));
        await Until.TrueAsync(() => BotApi.Edits.Count > 0, "the channel's message to be edited", Patience);
        await PollsAsync(2);

        var edit = Assert.Single(BotApi.Edits);
        Assert.Equal((posted.Chat, posted.MessageId, "editmessagetext"), (edit.Chat, edit.MessageId, edit.Method));
        Assert.StartsWith($"<b>{Corrected}</b>", edit.Text, StringComparison.Ordinal);
        Assert.Single(BotApi.Messages);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM deliveries WHERE edit_of IS NOT NULL AND state = 'sent'"));
    }

    [Fact]
    public async Task Whitespace_and_a_new_publication_date_alone_change_nothing()
    {
        Feeds.Publish("/en.xml", Rss(new Article(1)));
        await using var bot = await StartBotAsync(Settings());
        await BotApi.WaitForMessagesAsync(1, Patience);

        Feeds.Publish("/en.xml", Rss(new Article(1) { Spacing = "\n   \t", Moved = TimeSpan.FromHours(5) }));
        await PollsAsync(3);

        Assert.Empty(BotApi.Edits);
        Assert.Single(BotApi.Messages);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM deliveries WHERE edit_of IS NOT NULL"));
    }

    [Fact]
    public async Task Three_corrections_within_one_poll_interval_make_one_edit_with_the_last_text()
    {
        Feeds.Publish("/en.xml", Rss(new Article(1)));
        await using var bot = await StartBotAsync(Settings());
        var posted = Assert.Single(await BotApi.WaitForMessagesAsync(1, Patience));

        foreach (var version in new[] { "first", "second", "third" })
        {
            Feeds.Publish("/en.xml", Rss(new Article(1) { Retitled = $"Analysis 1: corrected, {version} version" }));
        }

        await Until.TrueAsync(() => BotApi.Edits.Count > 0, "the channel's message to be edited", Patience);
        await PollsAsync(2);

        var edit = Assert.Single(BotApi.Edits);
        Assert.Equal(posted.MessageId, edit.MessageId);
        Assert.StartsWith("<b>Analysis 1: corrected, third version</b>", edit.Text, StringComparison.Ordinal);
    }

    /// <summary>Waits until the bot has fetched the feed <paramref name="count"/> more times (a poll every 2 s).</summary>
    private async Task PollsAsync(int count)
    {
        var target = Feeds.RequestCount("/en.xml") + count;
        await Until.TrueAsync(() => Feeds.RequestCount("/en.xml") >= target, $"{count} more polls", Patience);
        // The last poll's work (recording, the dispatcher's turn) takes a moment after the fetch.
        await Task.Delay(TimeSpan.FromSeconds(1));
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Feeds:0:Id"] = "en",
        ["Feeds:0:Url"] = Feeds.Url("/en.xml").ToString(),
        ["Feeds:0:Language"] = "en",
        ["Feeds:0:Schedule"] = EveryTwoSeconds,
        ["Feeds:0:Backfill"] = "1",
        ["Feeds:0:Channels:0"] = "@atlas_en",
    };
}

public sealed class CorrectionTests_Sqlite() : CorrectionTests(Provider.Sqlite);

public sealed class CorrectionTests_Postgres() : CorrectionTests(Provider.Postgres);
