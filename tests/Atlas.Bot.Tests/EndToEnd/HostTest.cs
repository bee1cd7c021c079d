using Atlas.Bot.Tests.Feeds.Fake;
using Atlas.Bot.Tests.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;

namespace Atlas.Bot.Tests.EndToEnd;

/// <summary>
/// A whole-host test class: each test gets the world around the bot fresh — the feed server, the fake Bot API and a
/// temporary folder for the bot's database — and the test starts the host itself (<see cref="BotHost"/>) with the
/// settings it is about.
/// </summary>
public abstract class HostTest : IAsyncLifetime
{
    /// <summary>Every 2 seconds: the poll interval whole-host tests measure against.</summary>
    protected const string EveryTwoSeconds = "0/2 * * * * ?";

    protected TempFolder Folder { get; } = new();

    protected FeedServer Feeds { get; private set; } = null!;

    protected FakeBotApi BotApi { get; private set; } = null!;

    /// <summary>Set by a test that makes the Bot API double answer 429 on purpose; otherwise none may come.</summary>
    protected bool InjectsFloodRefusals { get; set; }

    public virtual async Task InitializeAsync()
    {
        Feeds = await FeedServer.StartAsync();
        BotApi = await FakeBotApi.StartAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await BotApi.DisposeAsync();
        await Feeds.DisposeAsync();
        Folder.Dispose();
        if (!InjectsFloodRefusals)
        {
            FloodAssert.NoneRefused(BotApi);
        }
    }
}
