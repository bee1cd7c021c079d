using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram.Fake;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace Atlas.Bot.Tests.Telegram;

/// <summary>What the receiving side needs: the fake Bot API with a real client, a real SQLite inbox, captured logs.</summary>
public sealed class ReceivingRig : IAsyncDisposable
{
    /// <summary>Short waits: a 1 s long poll (the fake's cap anyway) and retries from 50 ms.</summary>
    public static readonly IOptions<UpdateReceivingOptions> Fast = Options.Create(new UpdateReceivingOptions
    {
        LongPollSeconds = 1,
        FirstRetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromMilliseconds(400),
    });

    private readonly ILoggerFactory _loggers;
    private readonly TestMeterFactory _meters = new();

    private ReceivingRig(FakeBotApi api, TempDatabase database)
    {
        Api = api;
        Database = database;
        Client = api.CreateClient();
        _loggers = LoggerFactory.Create(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        Inbox = new UpdateInbox(database.Store, Signal, TimeProvider.System);
    }

    public FakeBotApi Api { get; }

    public TempDatabase Database { get; }

    public Store Store => Database.Store;

    public ITelegramBotClient Client { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public InboxSignal Signal { get; } = new();

    public UpdateInbox Inbox { get; }

    public static async Task<ReceivingRig> StartAsync() => new(await FakeBotApi.StartAsync(), await TempDatabase.CreateAsync());

    public ILogger<T> Logger<T>() => _loggers.CreateLogger<T>();

    /// <summary>A new poller on the same database: a second one is a restart.</summary>
    public UpdatePoller Poller() => Poller(Store, Inbox);

    /// <summary>A poller as another replica runs it: its own store on the same file, its own identity and inbox.</summary>
    public UpdatePoller Poller(Store store, UpdateInbox inbox, TimeProvider? time = null) =>
        new(Client, store, inbox, Leadership(store, time ?? TimeProvider.System), Fast, time ?? TimeProvider.System, Logger<UpdatePoller>());

    public Leadership Leadership(Store store, TimeProvider time) =>
        new(store, ReplicaIdentity.ForThisProcess(), new BotMetrics(_meters, time), time, Logger<Leadership>());

    public IReadOnlyList<string> LogLines(LogLevel level) =>
        [.. Logs.Messages.Where(line => line.StartsWith(level.ToString() + " ", StringComparison.Ordinal))];

    /// <summary>No log line may carry the token, whole or its secret half.</summary>
    public void AssertNoTokenInLogs()
    {
        var secretHalf = Api.Token[(Api.Token.IndexOf(':', StringComparison.Ordinal) + 1)..];
        Assert.DoesNotContain(Logs.Messages, line => line.Contains(secretHalf, StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        _loggers.Dispose();
        _meters.Dispose();
        Signal.Dispose();
        await Api.DisposeAsync();
        await Database.DisposeAsync();
        FloodAssert.NoneRefused(Api);
    }
}
