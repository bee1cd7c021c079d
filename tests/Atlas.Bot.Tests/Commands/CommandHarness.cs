using System.Text.Json;
using Atlas.Bot.Commands;
using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Posts;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quartz;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Atlas.Bot.Tests.Commands;

/// <summary>A reply as queued in the outbox.</summary>
public sealed record QueuedReply(string Chat, string Text, string? Photo, IReadOnlyList<IReadOnlyList<InlineButton>>? Keyboard);

/// <summary>
/// The commands wired as in the service (AddCommands) over a real database (an SQLite file unless asked otherwise) and the real Telegram.Bot client
/// against the fake Bot API. Updates go into the inbox and through the processor, as they would in the bot.
/// </summary>
public sealed class CommandHarness : IAsyncDisposable
{
    public const long Admin = 1001;
    public const long OtherAdmin = 1002;
    public const string BotUsername = "atlas_test_bot";

    private readonly ServiceProvider _services;
    private long _lastUpdateId = 5000;
    private Dispatcher? _dispatcher;

    /// <summary>A replica's own store on the shared database; null for the first harness, which owns the database and the fake.</summary>
    private readonly Store? _replicaStore;

    private CommandHarness(TempDatabase database, FakeBotApi telegram, CapturingLoggerProvider logs, ServiceProvider services, Store? replicaStore = null)
    {
        Database = database;
        Logs = logs;
        Telegram = telegram;
        _services = services;
        _replicaStore = replicaStore;
    }

    public TempDatabase Database { get; }

    public Store Store => _replicaStore ?? Database.Store;

    public FakeBotApi Telegram { get; }

    public CapturingLoggerProvider Logs { get; }

    public UpdateProcessor Processor => _services.GetRequiredService<UpdateProcessor>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <param name="busyTimeoutSeconds">How long the store waits for a database lock held elsewhere; its default when null.</param>
    /// <param name="provider">The database the commands run on.</param>
    /// <param name="telegramTime">The fake Bot API's clock (its message dates, the 48 hours of deleteMessage); the system's when null.</param>
    public static async Task<CommandHarness> StartAsync(
        Action<IServiceCollection>? replace = null, int? busyTimeoutSeconds = null, Provider provider = Provider.Sqlite, TimeProvider? telegramTime = null)
    {
        var database = await TempDatabase.CreateAsync(provider, busyTimeoutSeconds);
        var telegram = await FakeBotApi.StartAsync(telegramTime);
        // Commands are tested at the pace of the bot's loosened limits below; the double allows the same, no more.
        telegram.FloodLimits = FakeFloodLimits.Telegram with { PrivatePerSecond = 100, GroupPerMinute = 100, GlobalPerSecond = 100 };
        var logs = new CapturingLoggerProvider();
        return new CommandHarness(database, telegram, logs, Services(database.Store, telegram, logs, replace));
    }

    /// <summary>
    /// A second bot process on the same database and fake Bot API: its own store (claimant), services and processor, as a
    /// replica would have. Disposing it leaves the database and the fake to this harness.
    /// </summary>
    public CommandHarness StartReplica(Action<IServiceCollection>? replace = null)
    {
        var store = Database.OpenAnotherStore();
        var logs = new CapturingLoggerProvider();
        return new CommandHarness(Database, Telegram, logs, Services(store, Telegram, logs, replace), store);
    }

    private static ServiceProvider Services(Store store, FakeBotApi telegram, CapturingLoggerProvider logs, Action<IServiceCollection>? replace)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(store);
        services.AddSingleton(Options.Create(new TelegramOptions { BotToken = FakeBotApi.DefaultToken, ApiBaseUrl = telegram.BaseUrl, Admins = [Admin, OtherAdmin] }));
        services.AddSingleton(Options.Create(Feeds));
        services.AddSingleton(Options.Create(new DeliveryOptions()));
        services.AddSingleton(Options.Create(new RateLimits { PerChatPerSecond = 100, GlobalPerSecond = 100, GroupPerMinute = 100 }));
        // Tests send commands faster than people do; the budget has tests of its own (CommandFloodTests).
        services.AddSingleton(Options.Create(new CommandLimits { PerUserSeconds = 0, GroupPerMinute = 10_000 }));
        services.AddSingleton<ITelegramBotClient>(telegram.CreateClient());
        services.AddSingleton<ITelegramSender, TelegramSender>();
        services.AddSingleton<RateGovernor>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<DeliverySwitch>();
        services.AddMetrics();
        services.AddSingleton<BotMetrics>();
        services.AddSingleton<AdminAlerts>();
        services.AddSingleton(ReplicaIdentity.ForThisProcess());
        services.AddSingleton<Leadership>();
        services.AddSingleton<Dispatcher>();
        services.AddFeedFetcher();
        services.AddSingleton<FeedSource>();
        services.AddSingleton(new FeedUrls(Path.Combine(AppContext.BaseDirectory, "Fixtures", "feeds")));
        services.AddSingleton(new StatsDays(TimeZoneInfo.FindSystemTimeZoneById("Asia/Baku")));
        services.AddSingleton<StatsReader>();
        services.AddSingleton<TestInboxSignal>();
        services.AddQuartz(quartz =>
        {
            foreach (var feed in Feeds.Feeds)
            {
                var job = PollJob.KeyFor(feed.Id);
                quartz.AddJob<IdleJob>(configure => configure.WithIdentity(job));
                quartz.AddTrigger(trigger => trigger.ForJob(job).WithCronSchedule(feed.Schedule));
            }
        });
        services.AddCommands(provider => new ReceivingSide(provider.GetRequiredService<TestInboxSignal>(), _ => ValueTask.FromResult<string?>(BotUsername)));
        replace?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public static FeedsOptions Feeds { get; } = new()
    {
        Feeds =
        [
            new FeedOptions { Id = "az", Url = "wordpress-az.xml", Language = "az", Channels = ["@atlas_az"] },
            new FeedOptions { Id = "en", Url = "wordpress-en.xml", Language = "en", Channels = ["@atlas_en"] },
            new FeedOptions { Id = "ru", Url = "wordpress-ru-windows-1251.xml", Language = "ru", Channels = ["-1001234"] },
        ],
    };

    /// <summary>Stores the update in the inbox as the receiving side would, and handles what is waiting; returns its id.</summary>
    public async Task<long> SendAsync(Update update)
    {
        var id = Interlocked.Increment(ref _lastUpdateId);
        update.Id = (int)id;
        await StoreAsync(id, JsonSerializer.Serialize(update, JsonBotAPI.Options));
        await Processor.HandlePendingAsync(CancellationToken.None);
        return id;
    }

    public async Task StoreAsync(long id, string payload) =>
        await Store.AddToInboxAsync([new InboxUpdate(id, payload)], null, DateTimeOffset.UtcNow, CancellationToken.None);

    /// <summary>The replies queued so far, oldest first.</summary>
    public async Task<IReadOnlyList<QueuedReply>> RepliesAsync()
    {
        await using var connection = Database.Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT d.chat, m.text, m.photo, m.keyboard FROM messages m JOIN deliveries d ON d.message_seq = m.seq WHERE m.kind = 'reply' ORDER BY m.seq;";
        await using var reader = await command.ExecuteReaderAsync();
        var replies = new List<QueuedReply>();
        while (await reader.ReadAsync())
        {
            replies.Add(new QueuedReply(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : Buttons(reader.GetString(3))));
        }

        return replies;
    }

    public async Task<QueuedReply> LastReplyAsync() => (await RepliesAsync())[^1];

    /// <summary>A stored keyboard, read the way the store writes it (JSON rows of buttons, web naming).</summary>
    private static List<List<InlineButton>>? Buttons(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<List<List<InlineButton>>>(json, WebJson);

    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>Runs the real dispatcher, so queued replies reach the fake Telegram.</summary>
    public async Task StartSendingAsync()
    {
        _dispatcher = Get<Dispatcher>();
        await _dispatcher.StartAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_dispatcher is not null)
        {
            await _dispatcher.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
        if (_replicaStore is not null)
        {
            await _replicaStore.DisposeAsync();
            return;
        }

        await Telegram.DisposeAsync();
        await Database.DisposeAsync();
        FloodAssert.NoneRefused(Telegram);
    }

    public sealed class TestInboxSignal : Signal;

    /// <summary>Stands in for PollJob: the scheduler is never started here, so it never runs.</summary>
    public sealed class IdleJob : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
