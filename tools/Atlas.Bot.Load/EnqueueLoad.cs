namespace Atlas.Bot.Load;

/// <summary>
/// The enqueue scenario: how long Store.RecordItemAsync takes to record one analysis with a delivery row for each of
/// N active subscribers (and its channel) in one transaction. Three analyses in a row: the first pays for warming up.
/// </summary>
internal static class EnqueueLoad
{
    private const int Analyses = 3;

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct)
    {
        await using var bed = await LoadBed.CreateAsync(options, ct);
        await bed.SeedSubscribersAsync(options.Subscribers, ct);
        var took = new List<TimeSpan>();
        for (var number = 1; number <= Analyses; number++)
        {
            took.Add((await bed.RecordAnalysisAsync(number, ct)).Took);
        }

        var rows = await bed.CountAsync("SELECT COUNT(*) FROM deliveries;", ct);
        var write = new FigureWriter(output);
        write.Line("scenario", $"enqueue: Store.RecordItemAsync for one analysis with {options.Subscribers} active subscribers and 1 channel, SQLite file in /tmp");
        write.Line("enqueue", $"{string.Join(", ", took.Select(time => $"{time.TotalMilliseconds:F0} ms"))} (analyses 1 to {Analyses}, one transaction each)");
        write.Line("rows written", $"{rows} deliveries in all ({rows / Analyses} per analysis)");
        write.Line("reproduce", $"{options.Command}");
        return took.Max() < TimeSpan.FromSeconds(2) ? 0 : 1;
    }
}
