using Atlas.Bot.Feeds;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Commands;

/// <summary>The languages of the center's feeds, in the order they are configured: what subscribers can pick.</summary>
public sealed class FeedLanguages(IOptions<FeedsOptions> feeds)
{
    public IReadOnlyList<string> All { get; } = [.. feeds.Value.Feeds.Select(feed => feed.Language).Distinct(StringComparer.Ordinal)];

    public bool Contains(string language) => All.Contains(language, StringComparer.Ordinal);

    /// <summary>What a new subscriber gets: their own language when a feed has it, else every language.</summary>
    public IReadOnlyList<string> DefaultFor(string uiLanguage) => Contains(uiLanguage) ? [uiLanguage] : All;
}
