using System.Globalization;

namespace Atlas.Bot.Posts;

/// <summary>
/// The words a post needs in each feed language. Month names are spelled out here rather than taken from
/// CultureInfo because az-Latn-AZ data is missing on ICU-less hosts and Russian needs the genitive form.
/// </summary>
internal sealed record PostLabels(string ReadButton, string Untitled, string DigestHeader, string DigestMore, IReadOnlyList<string> Months)
{
    private static readonly PostLabels English = new(
        "Read",
        "New publication",
        "{0} new analyses",
        "… and {0} more",
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]);

    private static readonly Dictionary<string, PostLabels> ByLanguage = new(StringComparer.OrdinalIgnoreCase)
    {
        ["az"] = new(
            "Oxu",
            "Yeni nəşr",
            "{0} yeni təhlil",
            "… və daha {0}",
            ["yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avqust", "sentyabr", "oktyabr", "noyabr", "dekabr"]),
        ["ru"] = new(
            "Читать",
            "Новая публикация",
            "Новых материалов: {0}",
            "… и ещё {0}",
            ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"]),
        ["en"] = English,
    };

    /// <summary>Labels for a language tag such as "az", "ru-RU" or "en"; unknown languages get English.</summary>
    public static PostLabels For(string? language)
    {
        var primary = language?.Split('-', '_')[0].Trim() ?? string.Empty;
        return ByLanguage.GetValueOrDefault(primary, English);
    }

    /// <summary>"28 noyabr 2026", "28 ноября 2026", "28 November 2026".</summary>
    public string FormatDate(DateTimeOffset date) =>
        string.Create(CultureInfo.InvariantCulture, $"{date.Day} {Months[date.Month - 1]} {date.Year}");
}
