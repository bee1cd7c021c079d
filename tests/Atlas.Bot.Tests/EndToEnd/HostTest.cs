using System.Data.Common;
using Atlas.Bot.Tests.Feeds.Fake;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Atlas.Bot.Tests.EndToEnd;

/// <summary>
/// A whole-host test class: each test gets the world around the bot fresh — the feed server, the fake Bot API and a
/// database of its own (an SQLite file in a temporary folder, or a new database on the run's PostgreSQL cluster) — and
/// the test starts the host itself (<see cref="StartBotAsync"/>) with the settings it is about. The end-to-end classes
/// run on both providers: an abstract class, a subclass per provider, as the storage tests do.
/// </summary>
public abstract class HostTest(Provider provider = Provider.Sqlite) : IAsyncLifetime
{
    /// <summary>Every 2 seconds: the poll interval whole-host tests measure against.</summary>
    protected const string EveryTwoSeconds = "0/2 * * * * ?";

    protected Provider Provider => provider;

    protected TempFolder Folder { get; } = new();

    /// <summary>The database every host this test starts runs on (a restart is a second host on the same one).</summary>
    protected string ConnectionString { get; private set; } = null!;

    protected FeedServer Feeds { get; private set; } = null!;

    protected FakeBotApi BotApi { get; private set; } = null!;

    /// <summary>Set by a test that makes the Bot API double answer 429 on purpose; otherwise none may come.</summary>
    protected bool InjectsFloodRefusals { get; set; }

    public virtual async Task InitializeAsync()
    {
        ConnectionString = provider == Provider.Postgres
            ? await PostgresServer.CreateDatabaseAsync()
            : $"Data Source={Path.Combine(Folder.Path, "atlas-bot.db")}";
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

    /// <summary>The whole host on this test's database, with <paramref name="settings"/> on top.</summary>
    protected Task<BotHost> StartBotAsync(IDictionary<string, string?> settings, CapturingLoggerProvider? logs = null, TimeProvider? time = null) =>
        BotHost.StartAsync(Folder.Path, BotApi, new Dictionary<string, string?>(settings)
        {
            ["Storage:Provider"] = provider.ToString(),
            ["Storage:ConnectionString"] = ConnectionString,
        }, logs, time);

    /// <summary>One English feed, /en.xml on the feed server, polled every 2 s, posting to <paramref name="channels"/>.</summary>
    protected Dictionary<string, string?> Settings(int backfill, params string[] channels)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Feeds:0:Id"] = "en",
            ["Feeds:0:Url"] = Feeds.Url("/en.xml").ToString(),
            ["Feeds:0:Language"] = "en",
            ["Feeds:0:Schedule"] = EveryTwoSeconds,
            ["Feeds:0:Backfill"] = backfill.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        for (var i = 0; i < channels.Length; i++)
        {
            settings[$"Feeds:0:Channels:{i}"] = channels[i];
        }

        return settings;
    }

    /// <summary>Runs a query straight against this test's database (not through the store), to check what the bot wrote.</summary>
    protected async Task<long> CountAsync(string sql)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A connection straight to this test's database; unpooled, so that none stays open after the test.</summary>
    protected DbConnection Connect() => provider == Provider.Postgres
        ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString)
        : new SqliteConnection(new SqliteConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
}
