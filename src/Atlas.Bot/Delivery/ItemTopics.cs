using Atlas.Bot.Feeds;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Delivery;

/// <summary>An item's categories as the store keeps them: keyed in the feed's language, each key once.</summary>
public static class ItemTopics
{
    /// <summary>The first spelling of a key is the one shown; later spellings of the same key are dropped.</summary>
    public static IReadOnlyList<ItemTopic> Of(IReadOnlyList<string> categories, string language)
    {
        var topics = new List<ItemTopic>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var category in categories)
        {
            if (TopicKey.Of(category, language) is { } key && TopicKey.Shown(category) is { } shown && keys.Add(key))
            {
                topics.Add(new ItemTopic(key, shown));
            }
        }
        return topics;
    }
}
