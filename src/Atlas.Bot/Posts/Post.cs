namespace Atlas.Bot.Posts;

/// <summary>
/// A message for Telegram, and the one shape it keeps from formatting to sending: the formatter makes it, the outbox
/// stores it, the dispatcher sends it in a <see cref="PostForm"/>. A feed item's post has a photo, a caption and a
/// "Read" button; a reply to a command or an alert is text, perhaps with rows of buttons.
/// </summary>
/// <param name="TextHtml">The post as a text message in Telegram HTML, at most 4096 characters after parsing.</param>
/// <param name="PhotoUrl">The item's image; when set, the post goes out as a photo with <paramref name="CaptionHtml"/>.</param>
/// <param name="CaptionHtml">The post as a photo caption, at most 1024 characters after parsing; null without a photo.</param>
/// <param name="ButtonText">The localized label of the inline "Read" button.</param>
/// <param name="ButtonUrl">Where the button leads: the article.</param>
/// <param name="Keyboard">Rows of inline buttons; when set they are sent instead of the single link button.</param>
public sealed record Post(
    string TextHtml,
    string? PhotoUrl = null,
    string? CaptionHtml = null,
    string? ButtonText = null,
    string? ButtonUrl = null,
    IReadOnlyList<IReadOnlyList<InlineButton>>? Keyboard = null)
{
    /// <summary>Telegram HTML alone, with buttons if any: an answer, an alert, a digest.</summary>
    public static Post Text(string html, IReadOnlyList<IReadOnlyList<InlineButton>>? keyboard = null) =>
        new(html, Keyboard: keyboard is { Count: > 0 } ? keyboard : null);
}

/// <summary>One inline button: a link, or callback data the bot receives when it is pressed.</summary>
public sealed record InlineButton(string Text, string? Url = null, string? CallbackData = null);

/// <summary>How a post is sent; when Telegram refuses one form, the dispatcher falls back to a simpler one instead of losing it.</summary>
public enum PostForm
{
    /// <summary>As formatted: a photo with its caption when there is an image, else the HTML text.</summary>
    Formatted = 0,
    /// <summary>Telegram could not fetch the photo: the HTML text, with the article's link preview standing in for it.</summary>
    TextWithPreview = 1,
    /// <summary>Telegram rejected the HTML: the same words as plain text.</summary>
    Plain = 2,
}
