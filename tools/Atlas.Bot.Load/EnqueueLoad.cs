namespace Atlas.Bot.Load;

/// <summary>
/// The enqueue scenario: how long Store.RecordItemAsync takes to record one analysis with a delivery row for each of
/// N active subscribers (and its channel) in one transaction. Three analyses in a row: the first pays for warming up.
/// With --topics every subscriber chose 3 of 20 topics and each analysis carries 2: the fan-out selects on them.
/// </summary>
internal static class EnqueueLoad
{
    private const int Analyses = 3;
    private const int TopicsChosen = 3;

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct)
    {
        await using var bed = await LoadBed.CreateAsync(options, ct);
        var chats = await bed.SeedSubscribersAsync(options.Subscribers, ct);
        if (options.Topics)
        {
            await bed.SeedTopicChoicesAsync(chats, TopicsChosen, ct);
        }

        var took = new List<TimeSpan>();
        for (var number = 1; number <= Analyses; number++)
        {
            IReadOnlyList<string>? carried = options.Topics ? [LoadBed.TopicNames[number], LoadBed.TopicNames[number + 10]] : null;
            took.Add((await bed.RecordAnalysisAsync(number, ct, topics: carried)).Took);
        }

        var rows = await bed.CountAsync("SELECT COUNT(*) FROM deliveries;", ct);
        var write = new FigureWriter(output);
        var topics = options.Topics ? $", each choosing {TopicsChosen} of {LoadBed.TopicNames.Count} topics (the analysis carries 2)" : "";
        write.Line("scenario", $"enqueue: Store.RecordItemAsync for one analysis with {options.Subscribers} active subscribers{topics} and 1 channel, {bed.ProviderText}");
        write.Line("enqueue", $"{string.Join(", ", took.Select(time => $"{time.TotalMilliseconds:F0} ms"))} (analyses 1 to {Analyses}, one transaction each)");
        write.Line("rows written", $"{rows} deliveries in all ({rows / Analyses} per analysis)");
        write.Line("reproduce", $"{options.Command}");
        return took.Max() < TimeSpan.FromSeconds(2) ? 0 : 1;
    }
}
