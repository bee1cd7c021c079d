using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Security;
using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram.Fake;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atlas.Bot.Load;

/// <summary>One Bot API call as it reached the double: when, to which chat, and whether it asked for a paid broadcast.</summary>
internal sealed record Call(int Sequence, DateTimeOffset At, string Method, string? Chat, bool Paid)
{
    public bool IsSend => Method is "sendmessage" or "sendphoto";
}

/// <summary>
/// What every fan-out scenario stands on: a temp folder with an empty config, a polled feed file and a database seeded
/// through the Store (a SQLite file, or with --postgres a fresh database on a throwaway PostgreSQL cluster, the tests'
/// own); the flood-limited Bot API double; and the environment that points atlas-bot at them.
/// </summary>
internal sealed class LoadBed : IAsyncDisposable
{
    public const string FeedId = "load";
    public const string Channel = "@atlas_load";

    /// <summary>Subscriber chat ids start here, so they cannot be mistaken for anything else.</summary>
    public const long FirstChat = 100_000_001;

    private readonly ConcurrentQueue<Call> _calls = new();

    private LoadBed(string folder, FakeBotApi api, string? postgres)
    {
        Folder = folder;
        Api = api;
        Postgres = postgres is not null;
        ConnectionString = postgres ?? $"Data Source={Path.Combine(folder, "atlas-bot.db")}";
        Store = new Store(Options.Create(new StorageOptions { Provider = Postgres ? "Postgres" : "Sqlite", ConnectionString = ConnectionString }));
        // Every call is noted on arrival (the double's own log has no times); Inject may answer in its place.
        api.Fault = request =>
        {
            _calls.Enqueue(new Call(request.Sequence, DateTimeOffset.UtcNow, request.Method, request.Field("chat_id"),
                request.Field("allow_paid_broadcast") == "true"));
            return Inject?.Invoke(request);
        };
    }

    public string Folder { get; }

    /// <summary>Whether the bot's database is PostgreSQL (--postgres, replicas) rather than a SQLite file.</summary>
    public bool Postgres { get; }

    /// <summary>The bot's database, in SQLite's or Npgsql's form.</summary>
    public string ConnectionString { get; }

    /// <summary>The provider's name as the report prints it.</summary>
    public string ProviderText => Postgres ? "PostgreSQL" : "SQLite";

    public FakeBotApi Api { get; }

    public Store Store { get; }

    public string FeedPath => Path.Combine(Folder, "feed.xml");

    /// <summary>Answers some calls with a fault instead of handling them; null handles every call.</summary>
    public Func<FakeRequest, FakeReply?>? Inject { get; set; }

    /// <summary>Where atlas-bot sends its Bot API calls; a proxy in front of the double may replace it.</summary>
    public string ApiBaseUrl { get; set; } = "";

    public IReadOnlyCollection<Call> Calls => _calls;

    public static async Task<LoadBed> CreateAsync(LoadOptions options, CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("atlas-bot-load-").FullName;
        var api = await FakeBotApi.StartAsync(cancellationToken: ct);
        // Telegram's limits, counted strictly, with the global budget the scenario grants (1000/s stands for paid
        // broadcasts); --double-rate makes the double stricter than the bot's setting, --slack-ms looser.
        api.FloodLimits = FakeFloodLimits.Telegram with { GlobalPerSecond = options.DoubleLimit, Slack = TimeSpan.FromMilliseconds(options.SlackMs) };
        var postgres = options.Postgres ? await PostgresServer.CreateDatabaseAsync() : null;
        var bed = new LoadBed(folder, api, postgres) { ApiBaseUrl = api.BaseUrl };
        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), "{}", ct);
        await bed.WriteFeedAsync([], ct);
        await bed.Store.MigrateAsync(ct);
        return bed;
    }

    /// <summary>
    /// Active subscribers (English unless <paramref name="language"/> says otherwise; chat ids from
    /// <paramref name="firstChat"/> on), inserted in one transaction with one prepared statement: seeding is not what
    /// is measured, and a SubscribeAsync per chat (a transaction each) would take minutes for 100,000.
    /// </summary>
    public async Task<IReadOnlyList<long>> SeedSubscribersAsync(int count, CancellationToken ct, string language = "en", long firstChat = FirstChat)
    {
        var chats = Enumerable.Range(0, count).Select(i => firstChat + i).ToList();
        await using var connection = await OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText =
            """
            INSERT INTO subscribers (chat_id, kind, title, ui_language, languages, active, joined_at, active_since)
            VALUES (@chat, 'private', NULL, @language, @language, 1, @now, @now);
            """;
        var chat = Parameter(insert, "@chat", 0L);
        Parameter(insert, "@language", language);
        Parameter(insert, "@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await insert.PrepareAsync(ct);
        foreach (var id in chats)
        {
            chat.Value = id;
            await insert.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return chats;
    }

    /// <summary>
    /// Topic choices for subscribers <paramref name="chats"/>: each chooses <paramref name="perChat"/> of
    /// <see cref="TopicNames"/>, spread evenly (chat i from topic i on), in one transaction as seeding.
    /// </summary>
    public async Task SeedTopicChoicesAsync(IReadOnlyList<long> chats, int perChat, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO subscriber_topics (chat_id, topic_key) VALUES (@chat, @key);";
        var chat = Parameter(insert, "@chat", 0L);
        var key = Parameter(insert, "@key", "");
        await insert.PrepareAsync(ct);
        for (var i = 0; i < chats.Count; i++)
        {
            chat.Value = chats[i];
            for (var j = 0; j < perChat; j++)
            {
                key.Value = TopicKey(TopicNames[(i + j * 7) % TopicNames.Count]);
                await insert.ExecuteNonQueryAsync(ct);
            }
        }

        await tx.CommitAsync(ct);
    }

    /// <summary>The twenty topics of the --topics runs.</summary>
    public static readonly IReadOnlyList<string> TopicNames =
    [
        "Energy", "Security", "Economy", "Climate", "Caspian", "South Caucasus", "Central Asia", "Trade", "Transport", "Diplomacy",
        "Peace process", "Oil & Gas", "Migration", "Education", "Technology", "Health", "Water", "Agriculture", "Finance", "Culture",
    ];

    private static string TopicKey(string topic) => Atlas.Bot.Feeds.TopicKey.Of(topic, "en")!;

    /// <summary>Records analysis <paramref name="number"/> with its channel and subscriber deliveries, as the poller would.</summary>
    /// <returns>When it was committed, and how long the one transaction took.</returns>
    public async Task<(DateTimeOffset RecordedAt, TimeSpan Took)> RecordAnalysisAsync(int number, CancellationToken ct, string language = "en", IReadOnlyList<string>? topics = null)
    {
        var clock = Stopwatch.StartNew();
        var recorded = await new Outbox(Store).QueuePostAsync(
            new ItemRecord(FeedId, $"load-{number}", Title(number), $"https://atlas.az/en/load-{number}/", DateTimeOffset.UtcNow, null, language,
                Topics: ItemTopics.Of(topics ?? [], language)),
            new Post($"<b>{Title(number)}</b>\n\nWhat the fan-out carries.", ButtonText: "Read", ButtonUrl: $"https://atlas.az/en/load-{number}/"),
            [new ChannelEntry(Channel)],
            silent: false,
            DateTimeOffset.UtcNow,
            ct);
        var took = clock.Elapsed;
        return recorded ? (DateTimeOffset.UtcNow, took) : throw new InvalidOperationException($"analysis {number} was already recorded");
    }

    public static string Title(int number) => $"Load test analysis {number.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Which analysis a sent message carries, from its title; 0 when none.</summary>
    public static int AnalysisOf(SentMessage message)
    {
        var text = message.Text ?? message.Caption ?? "";
        var at = text.IndexOf("analysis ", StringComparison.Ordinal);
        if (at < 0)
        {
            return 0;
        }

        var digits = text[(at + "analysis ".Length)..].TakeWhile(char.IsAsciiDigit).ToArray();
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;
    }

    /// <summary>Replaces the feed file at once (a rename), so a poll never reads half of it.</summary>
    /// <param name="head">Markup placed first in the channel, e.g. the atom:link elements that name a WebSub hub.</param>
    public async Task WriteFeedAsync(IReadOnlyList<(string Guid, string Title, DateTimeOffset Published)> items, CancellationToken ct, string head = "")
    {
        var entries = string.Concat(items.Select(item =>
            $"""
            <item><title>{SecurityElement.Escape(item.Title)}</title><link>https://atlas.az/en/{item.Guid}/</link>
            <guid>{item.Guid}</guid><pubDate>{item.Published.ToString("r", CultureInfo.InvariantCulture)}</pubDate>
            <description>What the probe says.</description></item>
            """));
        var temp = FeedPath + ".tmp";
        await File.WriteAllTextAsync(temp,
            $"""<?xml version="1.0"?><rss version="2.0"><channel>{head}<title>Load</title><link>https://atlas.az/en/</link><description>Load</description>{entries}</channel></rss>""",
            ct);
        File.Move(temp, FeedPath, overwrite: true);
    }

    /// <summary>The environment of one atlas-bot run; <paramref name="extra"/>, then the command line's --env, add or override keys.</summary>
    public Dictionary<string, string> Environment(LoadOptions options, IReadOnlyDictionary<string, string>? extra = null)
    {
        var (globalPerSecond, paid) = (options.Rate, options.Paid);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Telegram__BotToken"] = Api.Token,
            ["Telegram__ApiBaseUrl"] = ApiBaseUrl,
            ["Telegram__Updates"] = "Off",
            ["Storage__Provider"] = Postgres ? "Postgres" : "Sqlite",
            ["Storage__ConnectionString"] = ConnectionString,
            ["Urls"] = "http://127.0.0.1:0",
            ["Delivery__GlobalPerSecond"] = globalPerSecond.ToString(CultureInfo.InvariantCulture),
            ["Delivery__AllowPaidBroadcast"] = paid ? "true" : "false",
            ["Feeds__0__Id"] = FeedId,
            ["Feeds__0__Url"] = FeedPath,
            ["Feeds__0__Language"] = "en",
            ["Feeds__0__Channels__0"] = Channel,
            ["Feeds__0__Schedule"] = "0/2 * * * * ?",
            ["Logging__LogLevel__Default"] = "Warning",
            // Every change of pace, raised ones too, so that the report can count them.
            ["Logging__LogLevel__Atlas.Bot.Telegram.RateGovernor"] = "Information",
        };
        foreach (var (key, value) in (extra ?? new Dictionary<string, string>()).Concat(options.Settings))
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>
    /// Waits until <paramref name="count"/> messages have arrived (distinct chat and analysis pairs, so a duplicate does
    /// not stand in for a message still missing); gives up when nothing new arrived for
    /// <paramref name="patience"/>, when <paramref name="limit"/> has passed, or when the bot died. Progress goes to stderr.
    /// </summary>
    /// <returns>Whether the count was reached.</returns>
    public async Task<bool> AwaitMessagesAsync(int count, TimeSpan limit, TimeSpan patience, BotProcess? bot, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var lastCount = -1;
        var lastChange = TimeSpan.Zero;
        var lastReport = TimeSpan.Zero;
        while (true)
        {
            // Counting distinct pairs costs CPU the bot shares; the raw count is an upper bound, so it is only done near the end.
            var accepted = Api.Messages.Count;
            var now = accepted < count ? accepted : Delivered();
            if (now >= count)
            {
                return true;
            }

            if (now != lastCount)
            {
                lastCount = now;
                lastChange = clock.Elapsed;
            }

            if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(10))
            {
                lastReport = clock.Elapsed;
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {clock.Elapsed.TotalSeconds,5:F0} s: {now} of {count} messages delivered"));
            }

            if (clock.Elapsed >= limit || clock.Elapsed - lastChange >= patience || bot is { HasExited: true })
            {
                return false;
            }

            await Task.Delay(250, ct);
        }
    }

    /// <summary>How many distinct (chat, analysis) messages the double has accepted.</summary>
    public int Delivered() => Api.Messages.Select(message => (message.ChatId, LoadBed.AnalysisOf(message))).Distinct().Count();

    public BotProcess StartBot(IReadOnlyDictionary<string, string> environment) => BotProcess.Start(Folder, environment);

    /// <summary>Runs one query against the database the bot uses (read-only questions about the outcome).</summary>
    public async Task<long> CountAsync(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = await CommandAsync(sql, parameters, ct);
        await using var connection = command.Connection!;
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>The first column of every row of one query, as text.</summary>
    public async Task<List<string>> ListAsync(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = await CommandAsync(sql, parameters, ct);
        await using var connection = command.Connection!;
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>A command on its own open connection to the bot's database; the caller disposes both. Parameters are named @x (both providers read that form).</summary>
    private async Task<DbCommand> CommandAsync(string sql, (string Name, object Value)[] parameters, CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            Parameter(command, name, value);
        }

        return command;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        DbConnection connection = Postgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private static DbParameter Parameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
