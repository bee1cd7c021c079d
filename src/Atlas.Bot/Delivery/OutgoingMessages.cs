using Atlas.Bot.Posts;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Telegram.Bot.Extensions;

namespace Atlas.Bot.Delivery;

/// <summary>Turns a stored post into the message to send, in the delivery's mode.</summary>
public static class OutgoingMessages
{
    /// <summary>A formatted post as the outbox keeps it (the poller records it; previews send it the same way).</summary>
    public static StoredPost Stored(Post post) =>
        new(post.TextHtml, post.CaptionHtml, post.PhotoUrl, post.ButtonText, post.ButtonUrl);

    /// <param name="trackedUrl">Where the "Read" button should lead instead of the article: the bot's counting redirect.</param>
    public static OutgoingMessage For(StoredPost post, DeliveryMode mode, string? trackedUrl = null) =>
        Build(trackedUrl is not null && post.ButtonUrl is not null ? post with { ButtonUrl = trackedUrl } : post, mode);

    private static OutgoingMessage Build(StoredPost post, DeliveryMode mode) => mode switch
    {
        DeliveryMode.Normal when post.Photo is not null && post.Caption is not null =>
            new OutgoingMessage(post.Caption, IsHtml: true, PhotoUrl: post.Photo, post.ButtonText, post.ButtonUrl),
        DeliveryMode.Normal =>
            new OutgoingMessage(post.Text, IsHtml: true, PhotoUrl: null, post.ButtonText, post.ButtonUrl, LinkPreview: false, KeyboardJson.Parse(post.Keyboard)),
        // The photo could not be fetched: the article's own link preview stands in for it.
        DeliveryMode.TextWithPreview =>
            new OutgoingMessage(post.Text, IsHtml: true, PhotoUrl: null, post.ButtonText, post.ButtonUrl, LinkPreview: true, KeyboardJson.Parse(post.Keyboard)),
        // Our HTML was rejected: the same words without markup cannot be.
        DeliveryMode.Plain =>
            new OutgoingMessage(HtmlText.ToPlain(post.Text), IsHtml: false, PhotoUrl: null, post.ButtonText, post.ButtonUrl, LinkPreview: true, KeyboardJson.Parse(post.Keyboard)),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown delivery mode."),
    };
}
