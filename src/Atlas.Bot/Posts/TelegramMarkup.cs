using System.Text;
using Telegram.Bot.Extensions;

namespace Atlas.Bot.Posts;

/// <summary>
/// Telegram-HTML held as well-nested tokens, so it can be measured and cut without re-parsing.
/// Instances come from <see cref="TelegramMarkupBuilder"/>, which guarantees valid nesting and no empty tags.
/// </summary>
internal sealed class TelegramMarkup
{
    public static readonly TelegramMarkup Empty = new([]);

    public TelegramMarkup(IReadOnlyList<TelegramToken> tokens)
    {
        Tokens = tokens;
        PlainText = string.Concat(tokens.OfType<TelegramToken.Text>().Select(text => text.Value));
    }

    public IReadOnlyList<TelegramToken> Tokens { get; }

    /// <summary>The text as Telegram shows it, with entities decoded.</summary>
    public string PlainText { get; }

    /// <summary>The length as Telegram counts it against its limits: UTF-16 code units of the parsed text.</summary>
    public int PlainLength => PlainText.Length;

    public bool IsEmpty => PlainText.Length == 0;

    public static TelegramMarkup Join(string separator, params IEnumerable<TelegramMarkup> parts)
    {
        var tokens = new List<TelegramToken>();
        foreach (var part in parts.Where(part => !part.IsEmpty))
        {
            if (tokens.Count > 0)
            {
                tokens.Add(new TelegramToken.Text(separator));
            }

            tokens.AddRange(part.Tokens);
        }

        return new TelegramMarkup(tokens);
    }

    /// <inheritdoc cref="MarkupTruncation.Truncate"/>
    public TelegramMarkup Truncate(int maxLength) => MarkupTruncation.Truncate(this, maxLength);

    public string ToHtml()
    {
        var html = new StringBuilder();
        foreach (var token in Tokens)
        {
            switch (token)
            {
                case TelegramToken.Text text:
                    html.Append(HtmlText.Escape(text.Value));
                    break;
                case TelegramToken.Open { Tag: TelegramTag.Link } link:
                    html.Append("<a href=\"").Append(HtmlText.Escape(link.Href)).Append("\">");
                    break;
                case TelegramToken.Open open:
                    html.Append('<').Append(TagName(open.Tag)).Append('>');
                    break;
                case TelegramToken.Close close:
                    html.Append("</").Append(TagName(close.Tag)).Append('>');
                    break;
            }
        }

        return html.ToString();
    }

    public override string ToString() => ToHtml();

    private static string TagName(TelegramTag tag) => tag switch
    {
        TelegramTag.Bold => "b",
        TelegramTag.Italic => "i",
        TelegramTag.Underline => "u",
        TelegramTag.Strikethrough => "s",
        TelegramTag.Link => "a",
        TelegramTag.Code => "code",
        TelegramTag.Pre => "pre",
        TelegramTag.Blockquote => "blockquote",
        _ => throw new ArgumentOutOfRangeException(nameof(tag), tag, "Unknown Telegram tag."),
    };
}
