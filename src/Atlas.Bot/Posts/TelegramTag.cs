namespace Atlas.Bot.Posts;

/// <summary>The formatting entities this project emits in Telegram HTML.</summary>
internal enum TelegramTag
{
    Bold,
    Italic,
    Underline,
    Strikethrough,
    Link,
    Code,
    Pre,
    Blockquote,
}
