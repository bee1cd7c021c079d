using System.Xml.Linq;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>An item's picture: declared media first (enclosure, Media RSS, iTunes), then the first image of its HTML.</summary>
internal static class ItemImages
{
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp", ".svg"];

    public static string? Find(XElement item, Uri? documentUri, params string?[] htmlBodies)
    {
        var declared = Declared(item);
        if (declared is not null)
        {
            return XmlBase.Resolve(declared.Value.Url, declared.Value.Element, documentUri);
        }
        foreach (var html in htmlBodies)
        {
            // The bodies handed in already have absolute links.
            if (html is not null && FeedHtml.FirstImage(html) is { } src)
            {
                return XmlBase.Combine(XmlBase.BaseOf(item, documentUri), src);
            }
        }
        return null;
    }

    private static (string Url, XElement Element)? Declared(XElement item)
    {
        foreach (var enclosure in FeedXml.OwnAll(item, "enclosure"))
        {
            if (FeedXml.Attribute(enclosure, "url") is { } url && IsImage(enclosure, url))
            {
                return (url, enclosure);
            }
        }

        var media = item.Elements(FeedXml.Media + "content")
            .Concat(item.Elements(FeedXml.Media + "group").Elements(FeedXml.Media + "content"));
        foreach (var content in media)
        {
            if (FeedXml.Attribute(content, "url") is { } url
                && (FeedXml.Attribute(content, "medium") == "image" || IsImage(content, url)))
            {
                return (url, content);
            }
        }

        var thumbnail = item.Elements(FeedXml.Media + "thumbnail")
            .Concat(item.Elements(FeedXml.Media + "group").Elements(FeedXml.Media + "thumbnail"))
            .Concat(item.Elements(FeedXml.Media + "content").Elements(FeedXml.Media + "thumbnail"))
            .FirstOrDefault(t => t.Attribute("url") is not null);
        if (thumbnail is not null)
        {
            return (thumbnail.Attribute("url")!.Value, thumbnail);
        }

        var itunes = FeedXml.Itunes(item, "image");
        return FeedXml.Attribute(itunes, "href") is { } href ? (href, itunes!) : null;
    }

    private static bool IsImage(XElement element, string url)
    {
        var type = FeedXml.Attribute(element, "type");
        if (type is not null)
        {
            return type.StartsWith("image/", StringComparison.OrdinalIgnoreCase);
        }
        var path = url.Split('?', '#')[0];
        return ImageExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }
}
