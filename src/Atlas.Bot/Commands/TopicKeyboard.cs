using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Commands;

/// <summary>What a press on a topics button asks for.</summary>
public enum TopicAction
{
    /// <summary>Select the topic of <see cref="TopicPress.Tag"/>.</summary>
    Choose,

    /// <summary>Deselect the topic of <see cref="TopicPress.Tag"/>.</summary>
    Drop,

    /// <summary>Clear the choice: every topic.</summary>
    All,

    /// <summary>Show <see cref="TopicPress.Page"/>.</summary>
    Page,

    /// <summary>The page indicator: nothing to do.</summary>
    None,
}

public readonly record struct TopicPress(TopicAction Action, string? Tag, int Page);

/// <summary>
/// The buttons of /topics: a page of topics (two a row, ✅ on the selected ones), a row to turn pages when there is more
/// than one, and "All topics". A topic travels in its button as a short tag of its key, never as its text (which may be
/// long and not ASCII, and Telegram allows 64 bytes); the tag is looked up in the list shown. Like the language buttons,
/// each button says what it sets ("top:+tag:page" selects, "top:-tag:page" deselects), so a press handled twice
/// changes nothing twice, and carries its page, so the keyboard stays where it was.
/// </summary>
public static class TopicKeyboard
{
    public const string Prefix = "top:";

    /// <summary>Topic buttons a page: with the page row and "All topics" a keyboard stays far below Telegram's 100 buttons.</summary>
    public const int PageSize = 24;

    /// <summary>A topic's text on a button is cut to this many characters: Telegram cuts longer ones on screen anyway.</summary>
    private const int MaxButtonText = 40;

    public static int Pages(int topics) => Math.Max(1, (topics + PageSize - 1) / PageSize);

    /// <summary>Page <paramref name="page"/> (from 0, held within the pages there are) of <paramref name="topics"/>.</summary>
    public static IReadOnlyList<IReadOnlyList<InlineButton>> For(string uiLanguage, IReadOnlyList<TopicCount> topics, IReadOnlySet<string> chosen, int page)
    {
        var pages = Pages(topics.Count);
        page = Math.Clamp(page, 0, pages - 1);
        var rows = topics.Skip(page * PageSize).Take(PageSize)
            .Select(topic => TopicButton(topic, chosen.Contains(topic.Key), page))
            .Chunk(2)
            .Select(row => (IReadOnlyList<InlineButton>)row)
            .ToList();
        if (pages > 1)
        {
            List<InlineButton> turn = [];
            if (page > 0)
            {
                turn.Add(new InlineButton("◀", CallbackData: $"{Prefix}p{Number(page - 1)}"));
            }

            turn.Add(new InlineButton($"{Number(page + 1)}/{Number(pages)}", CallbackData: Prefix + "x"));
            if (page < pages - 1)
            {
                turn.Add(new InlineButton("▶", CallbackData: $"{Prefix}p{Number(page + 1)}"));
            }

            rows.Add(turn);
        }

        var all = BotTexts.Get(uiLanguage, TextNames.TopicsAllButton);
        rows.Add([new InlineButton(chosen.Count == 0 ? $"✅ {all}" : all, CallbackData: $"{Prefix}all:{Number(page)}")]);
        return rows;
    }

    /// <summary>
    /// The tag of a topic key: 48 bits of its SHA-256 in base64url (8 characters). Stable across restarts and replicas;
    /// two keys of one list sharing a tag is a one-in-millions chance, and would only make one of them unpressable.
    /// </summary>
    public static string Tag(string key) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 6)).Replace('+', '-').Replace('/', '_');

    /// <summary>Reads what follows the prefix; null when it is nothing a topics button sends.</summary>
    public static TopicPress? Parse(string data)
    {
        if (data == "x")
        {
            return new TopicPress(TopicAction.None, null, 0);
        }

        if (data.StartsWith('p'))
        {
            return PageOf(data[1..]) is { } page ? new TopicPress(TopicAction.Page, null, page) : null;
        }

        if (data.StartsWith("all:", StringComparison.Ordinal))
        {
            return PageOf(data[4..]) is { } page ? new TopicPress(TopicAction.All, null, page) : null;
        }

        return data is ['+' or '-', .. var rest] && rest.Split(':') is [{ Length: 8 } tag, var number] && PageOf(number) is { } at
            ? new TopicPress(data[0] == '+' ? TopicAction.Choose : TopicAction.Drop, tag, at)
            : null;
    }

    private static InlineButton TopicButton(TopicCount topic, bool on, int page)
    {
        var text = topic.Shown;
        if (text.Length > MaxButtonText)
        {
            // Never between the halves of a surrogate pair: half an emoji is not text Telegram accepts.
            var cut = char.IsHighSurrogate(text[MaxButtonText - 2]) ? MaxButtonText - 2 : MaxButtonText - 1;
            text = text[..cut] + "…";
        }

        return new InlineButton(on ? $"✅ {text}" : text, CallbackData: $"{Prefix}{(on ? '-' : '+')}{Tag(topic.Key)}:{Number(page)}");
    }

    private static int? PageOf(string text) =>
        text.Length is > 0 and <= 5 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var page) ? page : null;

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
