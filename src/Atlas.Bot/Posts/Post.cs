namespace Atlas.Bot.Posts;

/// <summary>A feed item rendered for Telegram. Pure data: the dispatcher decides how to send it.</summary>
/// <param name="TextHtml">The post as a text message in Telegram HTML, at most 4096 characters after parsing.</param>
/// <param name="PhotoUrl">The item's image; when set, the post goes out as a photo with <paramref name="CaptionHtml"/>.</param>
/// <param name="CaptionHtml">The post as a photo caption, at most 1024 characters after parsing; null without a photo.</param>
/// <param name="ButtonText">The localized label of the inline "Read" button.</param>
/// <param name="ButtonUrl">Where the button leads: the article.</param>
public sealed record Post(
    string TextHtml,
    string? PhotoUrl,
    string? CaptionHtml,
    string? ButtonText,
    string? ButtonUrl);
