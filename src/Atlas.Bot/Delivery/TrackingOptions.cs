namespace Atlas.Bot.Delivery;

/// <summary>Tracked "Read" buttons (configuration section <c>Tracking</c>).</summary>
public sealed class TrackingOptions
{
    public const string Section = "Tracking";

    /// <summary>
    /// The bot's public address, e.g. https://bot.atlas.az: the "Read" button then points to {PublicBaseUrl}/r/{code},
    /// which counts the open and redirects to the article. Unset: buttons link straight to the article.
    /// </summary>
    public string? PublicBaseUrl { get; set; }
}
