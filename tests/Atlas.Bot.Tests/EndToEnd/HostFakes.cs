using Atlas.Bot.Tests.Feeds.Fake;
using Atlas.Bot.Tests.Telegram.Fake;

namespace Atlas.Bot.Tests.EndToEnd;

/// <summary>The world around a whole-host test: the feed server, the fake Bot API and a temporary folder.</summary>
public sealed class HostFakes : IAsyncDisposable
{
    private HostFakes(FeedServer feeds, FakeBotApi telegram)
    {
        Feeds = feeds;
        Telegram = telegram;
    }

    public TempFolder Folder { get; } = new();

    public FeedServer Feeds { get; }

    public FakeBotApi Telegram { get; }

    public static async Task<HostFakes> StartAsync() => new(await FeedServer.StartAsync(), await FakeBotApi.StartAsync());

    public async ValueTask DisposeAsync()
    {
        await Telegram.DisposeAsync();
        await Feeds.DisposeAsync();
        Folder.Dispose();
    }
}
