using Atlas.Bot.Feeds;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Atlas.Bot.Tests.Feeds;

/// <summary>Channel entries as configured (Feeds:N:Channels:K): a channel or group, or one topic of a forum supergroup.</summary>
public sealed class ChannelEntryTests
{
    [Theory]
    [InlineData("@atlas_en", "@atlas_en", null)]
    [InlineData("-1001234567890", "-1001234567890", null)]
    [InlineData("-1001234567890/42", "-1001234567890", 42)]
    [InlineData("-1001234567890/2", "-1001234567890", 2)]
    [InlineData("@atlas_forum/42", "@atlas_forum", 42)]
    public void An_entry_names_a_chat_and_may_name_one_of_its_forum_topics(string configured, string chat, int? thread)
    {
        var feeds = Bind(configured);

        Assert.True(new FeedsOptionsValidator().Validate(null, feeds).Succeeded);
        var entry = Assert.Single(feeds.Feeds[0].ChannelEntries());
        Assert.Equal(new ChannelEntry(chat, thread), entry);
        Assert.Equal(configured, entry.ToString());
    }

    [Theory]
    [InlineData("/42")]
    [InlineData("-100123/")]
    [InlineData("-100123/abc")]
    [InlineData("-100123/0")]
    [InlineData("-100123/-5")]
    [InlineData("-100123/+5")]
    [InlineData("-100123/ 5")]
    [InlineData("-100123/4.2")]
    [InlineData("-100123/99999999999")]
    [InlineData("@atlas_forum/1/2")]
    [InlineData("@x/1/2")]
    [InlineData("atlas/42")]
    public void A_malformed_entry_is_refused_at_start_naming_its_key(string configured)
    {
        var failures = new FeedsOptionsValidator().Validate(null, Bind("@atlas_en", configured)).Failures;

        var failure = Assert.Single(failures!);
        Assert.StartsWith($"Feeds:0:Channels:1 '{configured}' must ", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_topic_entry_that_is_no_number_says_what_a_topic_is()
    {
        var failure = Assert.Single(new FeedsOptionsValidator().Validate(null, Bind("-100123/abc")).Failures!);

        Assert.Equal(
            "Feeds:0:Channels:0 '-100123/abc' must name a forum topic after the '/' by its message_thread_id, a whole number from 2 (for example -1001234567890/42).",
            failure);
    }

    [Fact]
    public void Topic_1_is_refused_with_the_way_to_post_to_the_General_topic_since_Telegram_does_not_take_its_id()
    {
        var failure = Assert.Single(new FeedsOptionsValidator().Validate(null, Bind("-100123/1")).Failures!);

        Assert.Equal(
            "Feeds:0:Channels:0 '-100123/1' must not name topic 1, the forum's General topic, which Telegram does not take by its id: write the group alone (-100123) to post there.",
            failure);
    }

    [Theory]
    [InlineData("-1001234567890/42", "-1001234567890/42")]
    [InlineData("@atlas_forum/42", "@Atlas_Forum/42")]
    [InlineData("@atlas_en", "@ATLAS_EN")]
    public void The_same_place_twice_in_one_feed_is_refused_naming_both_keys(string first, string second) =>
        Assert.Equal(
            [$"Feeds:0:Channels:2 '{second}' is the same place as Feeds:0:Channels:0."],
            new FeedsOptionsValidator().Validate(null, Bind(first, "@atlas_ru", second)).Failures);

    [Fact]
    public void Two_topics_of_one_group_and_the_group_itself_are_three_places()
    {
        var feeds = Bind("-1001234567890/42", "-1001234567890/43", "-1001234567890");

        Assert.True(new FeedsOptionsValidator().Validate(null, feeds).Succeeded);
        Assert.Equal([42, 43, null], feeds.Feeds[0].ChannelEntries().Select(entry => entry.ThreadId));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    public void A_feeds_channel_posts_are_silent_only_when_it_says_so(string? setting, bool silent)
    {
        var feeds = Bind(["@atlas_en"], silent: setting);

        Assert.Equal(silent, feeds.Feeds[0].Silent);
    }

    private static FeedsOptions Bind(params string[] channels) => Bind(channels, silent: null);

    private static FeedsOptions Bind(string[] channels, string? silent)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Feeds:0:Id"] = "atlas-en",
            ["Feeds:0:Url"] = "https://atlas.az/en/feed/",
            ["Feeds:0:Silent"] = silent,
        };
        for (var i = 0; i < channels.Length; i++)
        {
            settings[$"Feeds:0:Channels:{i}"] = channels[i];
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build().Get<FeedsOptions>()!;
    }
}
