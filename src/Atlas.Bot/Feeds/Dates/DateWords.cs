using System.Collections.Frozen;

namespace Atlas.Bot.Feeds.Dates;

/// <summary>Month names and zone abbreviations met in real feeds, including mis-localised CMS output.</summary>
internal static class DateWords
{
    private static readonly FrozenDictionary<string, int> Months = BuildMonths();

    private static readonly FrozenDictionary<string, TimeSpan> Zones = new Dictionary<string, TimeSpan>(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = TimeSpan.Zero, ["UTC"] = TimeSpan.Zero, ["GMT"] = TimeSpan.Zero, ["Z"] = TimeSpan.Zero,
        ["ETC/GMT"] = TimeSpan.Zero, ["ETC/UTC"] = TimeSpan.Zero, ["WET"] = TimeSpan.Zero,
        ["AT"] = Hours(-4), ["AST"] = Hours(-4), ["ADT"] = Hours(-3),
        ["ET"] = Hours(-5), ["EST"] = Hours(-5), ["EDT"] = Hours(-4),
        ["CT"] = Hours(-6), ["CST"] = Hours(-6), ["CDT"] = Hours(-5),
        ["MT"] = Hours(-7), ["MST"] = Hours(-7), ["MDT"] = Hours(-6),
        ["PT"] = Hours(-8), ["PST"] = Hours(-8), ["PDT"] = Hours(-7),
        ["BST"] = Hours(1), ["CET"] = Hours(1), ["MET"] = Hours(1), ["WEST"] = Hours(1),
        ["CEST"] = Hours(2), ["MEST"] = Hours(2), ["EET"] = Hours(2),
        ["EEST"] = Hours(3), ["MSK"] = Hours(3), ["TRT"] = Hours(3),
        ["AZT"] = Hours(4), ["GET"] = Hours(4), ["AZST"] = Hours(5),
        ["IST"] = new TimeSpan(5, 30, 0), ["HKT"] = Hours(8), ["SGT"] = Hours(8),
        ["JST"] = Hours(9), ["KST"] = Hours(9),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static int? Month(string word) =>
        Months.TryGetValue(word.Trim('.').ToLowerInvariant(), out var month) ? month : null;

    public static TimeSpan? Zone(string word) =>
        Zones.TryGetValue(word, out var offset) ? offset : null;

    /// <summary>A numeric offset ("+04:00", "-0530", "GMT+4") from its parts; null beyond 14 hours or 59 minutes.</summary>
    public static TimeSpan? Offset(bool negative, int hours, int minutes)
    {
        if (hours > 14 || minutes > 59)
        {
            return null;
        }
        var offset = new TimeSpan(hours, minutes, 0);
        return negative ? -offset : offset;
    }

    private static TimeSpan Hours(int hours) => TimeSpan.FromHours(hours);

    private static FrozenDictionary<string, int> BuildMonths()
    {
        // One row per month: English, Azerbaijani, Russian (nominative and genitive), Greek, Hungarian.
        string[][] names =
        [
            ["jan", "january", "yan", "yanvar", "янв", "январь", "января", "ιαν", "ιανουάριος", "ιανουαρίου", "január", "jan."],
            ["feb", "february", "fev", "fevral", "фев", "февраль", "февраля", "φεβ", "φεβρουάριος", "φεβρουαρίου", "február"],
            ["mar", "march", "mart", "мар", "март", "марта", "μάρ", "μαρ", "μάρτιος", "μαρτίου", "március", "márc"],
            ["apr", "april", "aprel", "апр", "апрель", "апреля", "απρ", "απρίλιος", "απριλίου", "április", "ápr"],
            ["may", "май", "мая", "μάι", "μαΐ", "μαι", "μάιος", "μαΐου", "május", "máj"],
            ["jun", "june", "iyn", "iyun", "июн", "июнь", "июня", "ιούν", "ιουν", "ιον", "ιούνιος", "ιουνίου", "június", "jún"],
            ["jul", "july", "iyl", "iyul", "июл", "июль", "июля", "ιούλ", "ιουλ", "ιολ", "ιούλιος", "ιουλίου", "július", "júl"],
            ["aug", "august", "avq", "avqust", "авг", "август", "августа", "αύγ", "αυγ", "αύγουστος", "αυγούστου", "augusztus", "aug."],
            ["sep", "sept", "september", "sen", "sentyabr", "сен", "сент", "сентябрь", "сентября", "σεπ", "σεπτέμβριος", "σεπτεμβρίου", "szeptember", "szept"],
            ["oct", "october", "okt", "oktyabr", "окт", "октябрь", "октября", "οκτ", "οκτώβριος", "οκτωβρίου", "október"],
            ["nov", "november", "noy", "noyabr", "ноя", "нояб", "ноябрь", "ноября", "νοέ", "νοε", "νοέμβριος", "νοεμβρίου"],
            ["dec", "december", "dek", "dekabr", "дек", "декабрь", "декабря", "δεκ", "δεκέμβριος", "δεκεμβρίου"],
        ];
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            foreach (var name in names[i])
            {
                map.TryAdd(name.Trim('.'), i + 1);
            }
        }
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
