using Atlas.Bot.Feeds;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Atlas.Bot.Tests.Feeds.WebSub;

public sealed class WebSubModeTests
{
    [Theory]
    [InlineData(null, WebSubMode.Auto)]
    [InlineData("Auto", WebSubMode.Auto)]
    [InlineData("Off", WebSubMode.Off)]
    [InlineData("off", WebSubMode.Off)]
    public void A_feeds_websub_mode_binds_from_its_setting_and_is_auto_by_default(string? setting, WebSubMode expected)
    {
        var feeds = Bind(setting);

        Assert.Equal(expected, feeds.Feeds[0].WebSub);
        Assert.True(new FeedsOptionsValidator().Validate(null, feeds).Succeeded);
    }

    [Fact]
    public void A_number_that_names_no_mode_is_refused_with_its_key() =>
        Assert.Equal(
            ["Feeds:0:WebSub '7' must be Auto or Off."],
            new FeedsOptionsValidator().Validate(null, Bind("7")).Failures);

    private static FeedsOptions Bind(string? websub) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Feeds:0:Id"] = "atlas-en",
                ["Feeds:0:Url"] = "https://atlas.az/en/feed/",
                ["Feeds:0:Channels:0"] = "@atlas_en",
                ["Feeds:0:WebSub"] = websub,
            })
            .Build()
            .Get<FeedsOptions>()!;
}
