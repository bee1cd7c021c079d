using System.Text.Json;
using Atlas.Bot.Cli;
using Atlas.Bot.Tests.Storage;

namespace Atlas.Bot.Tests.Cli;

/// <summary>The atlas-bot program as people run it: a separate process, its output and its exit code.</summary>
public sealed class CommandLineTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempFolder _folder = new();

    private string DatabaseConnection => $"Data Source={Path.Combine(_folder.Path, "atlas-bot.db")}";

    private static string ShippedConfig => Path.Combine(AtlasBotProcess.RepositoryRoot, "config", "appsettings.json");

    private static string Sample(string language) => Path.Combine(AtlasBotProcess.RepositoryRoot, "config", "samples", language + ".xml");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_dry_run_on_the_shipped_config_prints_the_sample_posts_without_a_token()
    {
        using var bot = AtlasBotProcess.Start(_folder.Path, Environment(), "run", "--dry-run", "--config", ShippedConfig);

        // Three sample feeds with a Backfill of 3: nine posts, each printed once.
        var printed = await bot.WaitForOutputAsync(output => Posts(output) >= 9, Patience);

        Assert.True(printed, $"expected 9 posts, got:\n{bot.Output}\n{bot.Error}");
        Assert.Contains("──── to @atlas_center_az ────", bot.Output, StringComparison.Ordinal);
        Assert.Contains("[ Oxu ] → https://atlas.az/", bot.Output, StringComparison.Ordinal);
        Assert.Contains("[ Читать ] → https://atlas.az/", bot.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("info:", bot.Output, StringComparison.Ordinal);
        await Task.Delay(1000);
        Assert.Equal(9, Posts(bot.Output));
    }

    [Fact]
    public async Task Running_for_real_without_a_token_stops_with_a_config_error_and_exit_code_2()
    {
        using var bot = AtlasBotProcess.Start(_folder.Path, Environment(), "run", "--config", ShippedConfig);

        Assert.Equal(2, await bot.ExitCodeAsync(Patience));
        Assert.Contains("config error: Telegram:BotToken is required", bot.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", bot.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_configuration_problem_gets_its_own_line()
    {
        var environment = Environment();
        environment["Feeds__0__Language"] = "de";
        environment["Feeds__1__Schedule"] = "every minute";
        environment["Feeds__2__Channels__0"] = "atlas";
        environment["Delivery__GlobalPerSecond"] = "0";
        environment["Telegram__BotToken"] = "not-a-token";
        environment["Web__TrustedProxies__0"] = "10.0.0.0/8";
        environment["Web__TrustedProxies__1"] = "the proxy";

        using var bot = AtlasBotProcess.Start(_folder.Path, environment, "run", "--config", ShippedConfig);

        Assert.Equal(2, await bot.ExitCodeAsync(Patience));
        var lines = bot.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(6, lines.Length);
        Assert.All(lines, line => Assert.StartsWith("config error: ", line, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Feeds:0:Language 'de'", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Feeds:1:Schedule 'every minute'", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Feeds:2:Channels:0 'atlas'", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Delivery:GlobalPerSecond", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Web:TrustedProxies:1 'the proxy'", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Telegram:BotToken", StringComparison.Ordinal) && !line.Contains("not-a-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Preview_prints_each_item_in_document_order_as_one_JSON_object_a_line()
    {
        using var preview = AtlasBotProcess.Start(_folder.Path, Environment(), "preview", Sample("az"), "--json", "--language", "az");

        Assert.Equal(0, await preview.ExitCodeAsync(Patience));
        var items = preview.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(6, items.Count);
        Assert.All(items, item => Assert.Equal(
            ["id", "title", "link", "published", "author", "image", "summary", "html"],
            item.EnumerateObject().Select(p => p.Name)));
        var published = items.Select(i => DateTimeOffset.Parse(i.GetProperty("published").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(published.OrderByDescending(p => p), published);
        Assert.EndsWith("Z", items[0].GetProperty("published").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("<b>", items[0].GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("<", items[0].GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_of_unreadable_input_says_why_and_exits_1()
    {
        var page = Path.Combine(_folder.Path, "page.html");
        await File.WriteAllTextAsync(page, "<!DOCTYPE html><html><body>Not a feed</body></html>");

        using var missing = AtlasBotProcess.Start(_folder.Path, Environment(), "preview", Path.Combine(_folder.Path, "missing.xml"));
        using var html = AtlasBotProcess.Start(_folder.Path, Environment(), "preview", page);

        Assert.Equal(1, await missing.ExitCodeAsync(Patience));
        Assert.Equal(1, await html.ExitCodeAsync(Patience));
        Assert.Contains("file not found", missing.Error, StringComparison.Ordinal);
        Assert.Contains("not a feed", html.Error, StringComparison.Ordinal);
        Assert.Equal("", html.Output);
    }

    [Fact]
    public async Task With_the_json_formatter_every_log_line_is_one_JSON_object()
    {
        var environment = Environment();
        environment["Logging__Console__FormatterName"] = "json";
        using var bot = AtlasBotProcess.Start(_folder.Path, environment, "run", "--dry-run", "--config", ShippedConfig);

        Assert.True(await bot.WaitForOutputAsync(output => Posts(output) >= 9, Patience), bot.Error);

        var lines = bot.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line =>
        {
            using var log = JsonDocument.Parse(line);
            Assert.True(log.RootElement.TryGetProperty("EventId", out _));
        });
        Assert.Contains(lines, line => line.Contains("\"EventId\":1001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_backup_is_a_consistent_copy_of_the_live_database()
    {
        var store = await DatabaseAsync();
        await store.SubscribeAsync(101, "private", null, "az", ["az"], DateTimeOffset.UtcNow, CancellationToken.None);
        var copy = Path.Combine(_folder.Path, "backup.db");

        using var backup = AtlasBotProcess.Start(_folder.Path, Environment(), "backup", copy, "--config", ShippedConfig);
        Assert.Equal(0, await backup.ExitCodeAsync(Patience));
        using var again = AtlasBotProcess.Start(_folder.Path, Environment(), "backup", copy, "--config", ShippedConfig);
        Assert.Equal(1, await again.ExitCodeAsync(Patience));
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
        var copied = new Atlas.Bot.Storage.Store(Microsoft.Extensions.Options.Options.Create(new Atlas.Bot.Storage.StorageOptions { ConnectionString = $"Data Source={copy}" }));
        Assert.True((await copied.GetSubscriberAsync(101, CancellationToken.None))?.Active);
    }

    [Fact]
    public async Task Stats_prints_the_daily_figures_of_a_range_as_CSV_with_a_header_row()
    {
        var store = await DatabaseAsync();
        await store.SubscribeAsync(101, "private", null, "az", ["az"], new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero), CancellationToken.None);
        await store.CloseDayAsync("2026-11-01", new DateTimeOffset(2026, 10, 31, 20, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 1, 20, 0, 0, TimeSpan.Zero), DateTimeOffset.UtcNow, CancellationToken.None);

        using var csv = AtlasBotProcess.Start(_folder.Path, Environment(), "stats", "--from", "2026-11-01", "--to", "2026-11-02", "--csv", "--config", ShippedConfig);
        using var wrong = AtlasBotProcess.Start(_folder.Path, Environment(), "stats", "--from", "2026-11-31", "--to", "2026-11-02");

        Assert.Equal(0, await csv.ExitCodeAsync(Patience));
        Assert.Equal(
            ["date,deliveries,opens,subscribers_active,subscribers_joined,subscribers_left", "2026-11-01,0,0,1,1,0", "2026-11-02,0,0,1,0,0"],
            csv.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal(2, await wrong.ExitCodeAsync(Patience));
        Assert.Contains("'2026-11-31' is not a date", wrong.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_as_CSV_prints_figures_past_two_to_the_31_exactly()
    {
        await DatabaseAsync();
        // Past int.MaxValue, past what a double holds exactly (2^53 + 1), and the largest 64-bit figure.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(DatabaseConnection))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO daily_summary (day, deliveries, opens, subscribers_active, subscribers_joined, subscribers_left, closed_at) VALUES
                    ('2026-01-01', 2147483648, 4294967297, 3000000000, 2147483647, 2147483649, 0),
                    ('2026-01-02', 9007199254740993, 9223372036854775807, 2147483648, 0, 0, 0);
                """;
            await command.ExecuteNonQueryAsync();
        }

        using var csv = AtlasBotProcess.Start(_folder.Path, Environment(), "stats", "--from", "2026-01-01", "--to", "2026-01-02", "--csv", "--config", ShippedConfig);

        Assert.Equal(0, await csv.ExitCodeAsync(Patience));
        Assert.Equal(
            [
                "date,deliveries,opens,subscribers_active,subscribers_joined,subscribers_left",
                "2026-01-01,2147483648,4294967297,3000000000,2147483647,2147483649",
                "2026-01-02,9007199254740993,9223372036854775807,2147483648,0,0",
            ],
            csv.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task Healthcheck_fails_when_nothing_answers()
    {
        var exitCode = await HealthcheckVerb.RunAsync(new Invocation(Verb.Healthcheck, Target: "http://127.0.0.1:9/healthz"), TextWriter.Null, CancellationToken.None);

        Assert.Equal(1, exitCode);
    }

    [Theory]
    [InlineData("", Verb.Run, false)]
    [InlineData("run", Verb.Run, false)]
    [InlineData("--dry-run", Verb.Run, true)]
    [InlineData("run --dry-run", Verb.Run, true)]
    [InlineData("preview feed.xml", Verb.Preview, false)]
    [InlineData("healthcheck", Verb.Healthcheck, false)]
    [InlineData("help", Verb.Help, false)]
    [InlineData("backup copy.db", Verb.Backup, false)]
    [InlineData("stats --from 2026-11-01 --to 2026-11-30 --csv", Verb.Stats, false)]
    [InlineData("copy-store --from atlas-bot.db --to Host=db;Database=atlas", Verb.CopyStore, false)]
    public void The_command_line_names_a_verb(string args, Verb verb, bool dryRun)
    {
        var invocation = Invocation.Parse(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal((verb, dryRun), (invocation.Verb, invocation.DryRun));
        Assert.Empty(invocation.Errors);
    }

    [Theory]
    [InlineData("fly", "unknown command 'fly'")]
    [InlineData("preview", "preview needs a feed URL or file")]
    [InlineData("run --config", "--config needs a value")]
    [InlineData("run --json", "unknown option '--json' for run")]
    [InlineData("run --config=", "--config needs a value")]
    [InlineData("run --config --dry-run", "--config needs a value")]
    [InlineData("run --dry-run=yes", "--dry-run takes no value")]
    [InlineData("stats --from --to 2026-11-30", "--from needs a value")]
    [InlineData("preview feed.xml other.xml", "unexpected argument 'other.xml'")]
    [InlineData("help fly", "unknown command 'fly'")]
    [InlineData("backup", "backup needs the file to write")]
    [InlineData("copy-store --from atlas-bot.db", "copy-store needs --from <sqlite connection> and --to <postgres connection>")]
    [InlineData("copy-store --to Host=db", "copy-store needs --from <sqlite connection> and --to <postgres connection>")]
    [InlineData("copy-store --from a.db --to Host=db --csv", "unknown option '--csv' for copy-store")]
    public void A_bad_command_line_is_named(string args, string error)
    {
        Assert.Contains(error, Invocation.Parse(args.Split(' ')).Errors);
    }

    [Theory]
    [InlineData("preview feed.xml --language ru --time-zone Europe/Moscow --json", "preview feed.xml --language=ru --time-zone=Europe/Moscow --json")]
    [InlineData("stats --from 2026-11-01 --to 2026-11-30 --config a=b.json", "stats --from=2026-11-01 --to=2026-11-30 --config=a=b.json")]
    [InlineData("run --config app.json --dry-run", "--dry-run --config=app.json")]
    [InlineData("healthcheck --config app.json", "healthcheck --config=app.json")]
    [InlineData("copy-store --from a.db --to Host=db;Database=atlas", "copy-store --from=a.db --to=Host=db;Database=atlas")]
    public void An_option_and_its_value_may_be_written_with_an_equals_sign(string spaced, string joined)
    {
        var expected = Invocation.Parse(spaced.Split(' '));

        var actual = Invocation.Parse(joined.Split(' '));

        Assert.Empty(actual.Errors);
        Assert.Empty(expected.Errors);
        Assert.Equal(expected, actual with { Errors = expected.Errors });
    }

    [Theory]
    [InlineData("--help", Verb.Help)]
    [InlineData("-h", Verb.Help)]
    [InlineData("help", Verb.Help)]
    [InlineData("run --help", Verb.Run)]
    [InlineData("preview -h", Verb.Preview)]
    [InlineData("help preview", Verb.Preview)]
    [InlineData("stats --csv --help", Verb.Stats)]
    [InlineData("backup --bogus --help", Verb.Backup)]
    public void Help_names_the_verb_whose_usage_is_printed_and_needs_nothing_else(string args, Verb verb)
    {
        var invocation = Invocation.Parse(args.Split(' '));

        Assert.Equal(verb, invocation.Verb);
        Assert.True(invocation.Help || invocation.Verb == Verb.Help);
        Assert.Empty(invocation.Errors);
    }

    [Theory]
    [InlineData(Verb.Run, "--dry-run")]
    [InlineData(Verb.Preview, "--time-zone")]
    [InlineData(Verb.Healthcheck, "--config")]
    [InlineData(Verb.Backup, "--config")]
    [InlineData(Verb.Stats, "--csv")]
    [InlineData(Verb.CopyStore, "--to")]
    public void Each_verb_has_a_usage_of_its_own_that_names_its_options(Verb verb, string option)
    {
        var usage = Invocation.Usage(verb);

        Assert.StartsWith($"Usage: atlas-bot ", usage, StringComparison.Ordinal);
        Assert.Contains(option, usage, StringComparison.Ordinal);
        Assert.All(Enum.GetValues<Verb>().Where(other => other != verb), other => Assert.NotEqual(Invocation.Usage(other), usage));
    }

    [Fact]
    public async Task A_verbs_help_goes_to_standard_output_with_exit_code_0()
    {
        using var help = AtlasBotProcess.Start(_folder.Path, Environment(), "preview", "--help");

        Assert.Equal(0, await help.ExitCodeAsync(Patience));
        Assert.Equal(Invocation.Usage(Verb.Preview).Trim(), help.Output.Trim());
        Assert.Equal("", help.Error);
    }

    [Fact]
    public async Task Version_prints_the_programs_informational_version_with_exit_code_0()
    {
        using var version = AtlasBotProcess.Start(_folder.Path, Environment(), "--version");

        Assert.Equal(0, await version.ExitCodeAsync(Patience));
        Assert.Equal($"atlas-bot {Invocation.ProgramVersion}", version.Output.Trim());
        Assert.Matches(@"^atlas-bot \d+\.\d+\.\d+", version.Output);
    }

    [Fact]
    public async Task An_unknown_option_is_named_on_standard_error_with_exit_code_2_and_nothing_runs()
    {
        using var bot = AtlasBotProcess.Start(_folder.Path, Environment(), "run", "--dry-run", "--confg=app.json", "--config", ShippedConfig);

        Assert.Equal(2, await bot.ExitCodeAsync(Patience));
        Assert.StartsWith("atlas-bot: unknown option '--confg' for run", bot.Error, StringComparison.Ordinal);
        Assert.Contains(Invocation.Usage(Verb.Run).Trim(), bot.Error, StringComparison.Ordinal);
        Assert.Equal("", bot.Output);
    }

    /// <summary>The database <see cref="Environment"/> names, created and migrated as the service would.</summary>
    private async Task<Atlas.Bot.Storage.Store> DatabaseAsync()
    {
        var store = new Atlas.Bot.Storage.Store(Microsoft.Extensions.Options.Options.Create(new Atlas.Bot.Storage.StorageOptions { ConnectionString = DatabaseConnection }));
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["Storage__ConnectionString"] = DatabaseConnection,
        ["Urls"] = "http://127.0.0.1:0",
    };

    private static int Posts(string output) => output.Split("──── to ").Length - 1;
}
