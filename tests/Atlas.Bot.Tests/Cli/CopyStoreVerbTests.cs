using Atlas.Bot.Cli;
using Atlas.Bot.Tests.Storage;

namespace Atlas.Bot.Tests.Cli;

/// <summary><c>atlas-bot copy-store</c>: its usage and errors, and a copy with its progress lines.</summary>
public sealed class CopyStoreVerbTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Without_a_target_it_names_what_is_missing_prints_its_usage_and_exits_2()
    {
        using var copy = AtlasBotProcess.Start(_folder.Path, new Dictionary<string, string>(), "copy-store", "--from", "atlas-bot.db");

        Assert.Equal(2, await copy.ExitCodeAsync(Patience));
        Assert.StartsWith("atlas-bot: copy-store needs --from <sqlite connection> and --to <postgres connection>", copy.Error, StringComparison.Ordinal);
        Assert.Contains(Invocation.Usage(Verb.CopyStore).Trim(), copy.Error, StringComparison.Ordinal);
        Assert.Equal("", copy.Output);
    }

    [Theory]
    [InlineData("Data Source=other.db")]
    [InlineData("Database=atlas")]
    public async Task A_target_that_is_not_a_postgres_connection_is_refused_with_exit_code_2_before_anything_is_read(string to)
    {
        var (exit, output, error) = await RunAsync("copy-store", "--from", Path.Combine(_folder.Path, "missing.db"), "--to", to);

        Assert.Equal(2, exit);
        Assert.StartsWith("copy-store: --to is not a PostgreSQL connection string", error, StringComparison.Ordinal);
        Assert.Equal("", output);
        Assert.False(File.Exists(Path.Combine(_folder.Path, "missing.db")));
    }

    [Fact]
    public async Task A_missing_source_is_named_with_exit_code_1()
    {
        var (exit, _, error) = await RunAsync("copy-store", "--from", Path.Combine(_folder.Path, "missing.db"), "--to", "Host=127.0.0.1;Database=atlas");

        Assert.Equal(1, exit);
        Assert.Equal($"copy-store: there is no database at {Path.Combine(_folder.Path, "missing.db")}", error.Trim());
    }

    [Fact]
    public async Task A_copy_migrates_the_target_prints_a_line_per_table_and_a_second_run_copies_nothing_new()
    {
        await using var source = await TempDatabase.CreateAsync(Provider.Sqlite);
        await using var target = await TempDatabase.CreateEmptyAsync(Provider.Postgres);
        await source.SubscribeManyAsync(2000, 3, "az");

        var first = await RunAsync("copy-store", $"--from={source.ConnectionString}", $"--to={target.ConnectionString}");
        var second = await RunAsync("copy-store", "--from", source.ConnectionString, "--to", target.ConnectionString);

        Assert.Equal(0, first.Exit);
        Assert.Contains("subscribers: 3 of 3", first.Error.Split('\n').Select(line => line.Trim()));
        Assert.Contains("items: 0 of 0", first.Error.Split('\n').Select(line => line.Trim()));
        Assert.StartsWith("copied ", first.Output, StringComparison.Ordinal);
        Assert.Equal((0, first.Error), (second.Exit, second.Error));
        Assert.Equal(3, await target.CountAsync("SELECT COUNT(*) FROM subscribers"));
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var invocation = Invocation.Parse(args);
        Assert.Empty(invocation.Errors);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CopyStoreVerb.RunAsync(invocation, output, error, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }
}
