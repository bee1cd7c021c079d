namespace Atlas.Bot.Posts;

/// <summary>One piece of Telegram-HTML: plain text (unescaped), or an opening or closing tag.</summary>
internal abstract record TelegramToken
{
    private TelegramToken() { }

    public sealed record Text(string Value) : TelegramToken;

    /// <param name="Href">The link target; set only for <see cref="TelegramTag.Link"/>.</param>
    public sealed record Open(TelegramTag Tag, string? Href = null) : TelegramToken;

    public sealed record Close(TelegramTag Tag) : TelegramToken;
}
