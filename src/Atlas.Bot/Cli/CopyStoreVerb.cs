using System.Globalization;
using Atlas.Bot.Storage;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Cli;

/// <summary>
/// <c>atlas-bot copy-store --from &lt;sqlite&gt; --to &lt;postgres&gt;</c>: moves an SQLite deployment's data into
/// PostgreSQL, migrating the target first, with a progress line per table on standard error. Two stores, each speaking
/// its own dialect: the source reads, the target writes. README "Moving to PostgreSQL" says when to run it.
/// </summary>
public static class CopyStoreVerb
{
    /// <summary>A table this big gets a progress line every so many rows as well as at its end.</summary>
    private const long ProgressEvery = 100_000;

    public static async Task<int> RunAsync(Invocation invocation, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (Store.PostgresConnectionProblem(invocation.CopyTo!) is { } problem)
        {
            await error.WriteLineAsync($"copy-store: --to is not a PostgreSQL connection string: {problem}");
            return 2;
        }

        var from = invocation.CopyFrom!.Contains('=', StringComparison.Ordinal) ? invocation.CopyFrom : $"Data Source={invocation.CopyFrom}";
        await using var source = new Store(Options.Create(new StorageOptions { Provider = "Sqlite", ConnectionString = from }));
        if (!await source.ExistsAsync(ct))
        {
            await error.WriteLineAsync($"copy-store: there is no database at {source.DataSource}");
            return 1;
        }

        await using var target = new Store(Options.Create(new StorageOptions { Provider = "Postgres", ConnectionString = invocation.CopyTo! }));
        try
        {
            // The source too: an older release's file gets the columns the copy reads, as starting this release would give it.
            await source.MigrateAsync(ct);
            await target.MigrateAsync(ct);
            await source.CopyToAsync(target, each => Report(each, error), ct);
        }
        catch (Exception exception) when (Store.IsDatabaseError(exception))
        {
            await error.WriteLineAsync($"copy-store: {exception.Message} (nothing copied is lost: run it again to finish)");
            return 1;
        }

        await output.WriteLineAsync($"copied {source.DataSource} to {target.DataSource}");
        return 0;
    }

    private static void Report(CopyProgress progress, TextWriter error)
    {
        if (progress.Copied == progress.Total || progress.Copied > 0 && progress.Copied % ProgressEvery < 1_000 && progress.Copied < progress.Total)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{progress.Table}: {progress.Copied:N0} of {progress.Total:N0}"));
        }
    }
}
