using Atlas.Bot.Feeds;

namespace Atlas.Bot.Tests.Feeds;

public sealed class TopicKeyTests
{
    [Theory]
    [InlineData("Energy", "en", "energy")]
    [InlineData("  Energy \n Security ", "en", "energy security")]
    [InlineData("İQTİSADİYYAT", "az", "iqtisadiyyat")]
    [InlineData("IRAN", "az", "ıran")]
    [InlineData("Энергетика", "ru", "энергетика")]
    [InlineData("ЁЛКА", "ru", "ёлка")]
    public void Two_spellings_of_one_topic_share_a_key_folded_in_the_feeds_language(string topic, string language, string key) =>
        Assert.Equal(key, TopicKey.Of(topic, language));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t\n")]
    public void A_topic_of_only_whitespace_has_no_key(string? topic)
    {
        Assert.Null(TopicKey.Of(topic, "en"));
        Assert.Null(TopicKey.Shown(topic));
    }

    [Fact]
    public void A_topic_is_shown_as_written_but_for_its_whitespace() =>
        Assert.Equal("South Caucasus", TopicKey.Shown("  South\n  Caucasus "));
}
