using System.Globalization;

namespace Atlas.Bot.Posts;

/// <summary>
/// Cuts Telegram-HTML to a length limit. Telegram.Bot's <c>HtmlText.Truncate</c> is not used because it
/// does not meet the limits Telegram enforces: it counts Unicode code points where Telegram counts UTF-16
/// code units (an emoji is 2 for Telegram, 1 for it), it cuts in the middle of words, and it can split a
/// surrogate pair (verified against Telegram.Bot 22.10.3.3). For the same reason <c>HtmlText.PlainLength</c>
/// is not used to measure, nor <c>HtmlText.ToPlain</c> (it leaves numeric entities encoded): the tokens already
/// hold the decoded text. Working on tokens also means a cut can never land inside a tag, an attribute or an entity.
/// </summary>
internal static class MarkupTruncation
{
    public const string Ellipsis = "…";

    // Characters that read as unfinished right before an ellipsis ("word,…", "\n•…").
    private const string DanglingCharacters = ",;:&-–—([«\"“„•·";

    /// <summary>
    /// Returns the markup unchanged when it fits; otherwise the longest prefix ending at a word boundary,
    /// followed by "…", with every open tag closed and any emptied tag dropped, whose plain length
    /// (UTF-16 code units, as Telegram counts) is at most <paramref name="maxLength"/>.
    /// A single word longer than the room left is cut between grapheme clusters, never inside one.
    /// </summary>
    public static TelegramMarkup Truncate(TelegramMarkup markup, int maxLength)
    {
        if (markup.PlainLength <= maxLength)
        {
            return markup;
        }

        var room = maxLength - Ellipsis.Length;
        if (room < 0)
        {
            return TelegramMarkup.Empty;
        }

        var cut = TrimDangling(markup.PlainText, CutPoint(markup.PlainText, room));
        var tokens = KeepPlainPrefix(markup.Tokens, cut);
        tokens.Add(new TelegramToken.Text(Ellipsis));
        return new TelegramMarkup(tokens);
    }

    private static int CutPoint(string plain, int room)
    {
        if (char.IsWhiteSpace(plain[room]))
        {
            return room;
        }

        for (var index = room - 1; index > 0; index--)
        {
            if (char.IsWhiteSpace(plain[index]))
            {
                return index;
            }
        }

        return LastGraphemeBoundary(plain, room);
    }

    private static int LastGraphemeBoundary(string plain, int room)
    {
        var boundary = 0;
        while (boundary < plain.Length)
        {
            var next = boundary + StringInfo.GetNextTextElementLength(plain, boundary);
            if (next > room)
            {
                break;
            }

            boundary = next;
        }

        return boundary;
    }

    private static int TrimDangling(string plain, int cut)
    {
        while (cut > 0 && (char.IsWhiteSpace(plain[cut - 1]) || DanglingCharacters.Contains(plain[cut - 1], StringComparison.Ordinal)))
        {
            cut--;
        }

        return cut;
    }

    private static List<TelegramToken> KeepPlainPrefix(IReadOnlyList<TelegramToken> source, int length)
    {
        var kept = new List<TelegramToken>();
        var open = new Stack<TelegramTag>();
        var used = 0;
        foreach (var token in source)
        {
            if (used >= length)
            {
                break;
            }

            switch (token)
            {
                case TelegramToken.Text text:
                    var take = Math.Min(text.Value.Length, length - used);
                    kept.Add(take == text.Value.Length ? text : new TelegramToken.Text(text.Value[..take]));
                    used += take;
                    break;
                case TelegramToken.Open opening:
                    kept.Add(opening);
                    open.Push(opening.Tag);
                    break;
                case TelegramToken.Close:
                    CloseInnermost(kept, open);
                    break;
            }
        }

        while (open.Count > 0)
        {
            CloseInnermost(kept, open);
        }

        return kept;
    }

    private static void CloseInnermost(List<TelegramToken> kept, Stack<TelegramTag> open)
    {
        var tag = open.Pop();
        if (kept[^1] is TelegramToken.Open)
        {
            // The cut left this tag without content: drop it rather than emit an empty entity.
            kept.RemoveAt(kept.Count - 1);
            return;
        }

        kept.Add(new TelegramToken.Close(tag));
    }
}
