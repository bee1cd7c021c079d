namespace Atlas.Bot.Feeds.Parsing;

/// <summary>One item per id: a feed that repeats an id gets its first occurrence kept and a warning for the rest.</summary>
internal static class DistinctItems
{
    public static List<FeedItem> Keep(IEnumerable<FeedItem> items, List<string> warnings)
    {
        var kept = new List<FeedItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (seen.Add(item.Id))
            {
                kept.Add(item);
            }
            else
            {
                warnings.Add($"duplicate item id \"{item.Id}\": kept the first, skipped a later one");
            }
        }
        return kept;
    }
}
