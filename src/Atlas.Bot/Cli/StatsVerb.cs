using System.Globalization;
using System.Text;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Cli;

/// <summary>
/// <c>atlas-bot stats --from --to [--csv]</c>: daily figures for a range, from the database the configuration
/// names, for reports and spreadsheets. Closed days as stored; days not closed yet counted live.
/// </summary>
public static class StatsVerb
{
    public const string CsvHeader = "date,deliveries,opens,subscribers_active,subscribers_joined,subscribers_left";

    public static async Task<int> RunAsync(Invocation invocation, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (await AtlasConfiguration.LoadAsync(invocation.ConfigPath, error) is not { } configuration)
        {
            return 2;
        }

        var stats = configuration.GetSection(StatsOptions.Section).Get<StatsOptions>() ?? new StatsOptions();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(stats.TimeZone, out var zone))
        {
            await error.WriteLineAsync($"config error: Stats:TimeZone '{stats.TimeZone}' is not a known time zone");
            return 2;
        }

        if (await AtlasConfiguration.ExistingStoreAsync(configuration, "stats", error) is not { } store)
        {
            return 1;
        }

        var reader = new StatsReader(store, new StatsDays(zone), TimeProvider.System);
        var days = await reader.RangeAsync(invocation.From!.Value, invocation.To!.Value, ct);
        await output.WriteAsync(invocation.Csv ? Csv(days) : Table(days));
        return 0;
    }

    public static string Csv(IEnumerable<DailySummary> days)
    {
        var csv = new StringBuilder(CsvHeader).Append('\n');
        foreach (var day in days)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{day.Day},{day.Deliveries},{day.Opens},{day.SubscribersActive},{day.SubscribersJoined},{day.SubscribersLeft}\n");
        }

        return csv.ToString();
    }

    private static string Table(IEnumerable<DailySummary> days)
    {
        var table = new StringBuilder();
        table.Append(CultureInfo.InvariantCulture, $"{"date",-10} {"deliveries",12} {"opens",12} {"active",10} {"joined",8} {"left",8}\n");
        foreach (var day in days)
        {
            table.Append(CultureInfo.InvariantCulture, $"{day.Day,-10} {day.Deliveries,12:N0} {day.Opens,12:N0} {day.SubscribersActive,10:N0} {day.SubscribersJoined,8:N0} {day.SubscribersLeft,8:N0}\n");
        }

        return table.ToString();
    }
}
