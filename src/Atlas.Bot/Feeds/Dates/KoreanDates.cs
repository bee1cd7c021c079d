using System.Globalization;
using System.Text.RegularExpressions;

namespace Atlas.Bot.Feeds.Dates;

/// <summary>Korean CMS dates ("2004-05-25 오후 11:23:17", "2004년 05월 28일 01:31:15"), always Korea Standard Time.</summary>
internal static partial class KoreanDates
{
    private static readonly TimeSpan Kst = TimeSpan.FromHours(9);

    public static DateParts? Read(string s)
    {
        var match = Pattern().Match(s);
        if (!match.Success)
        {
            return null;
        }
        var hour = Int(match, "h");
        if (match.Groups["pm"].Success && hour < 12)
        {
            hour += 12;
        }
        else if (match.Groups["am"].Success && hour == 12)
        {
            hour = 0;
        }
        return new DateParts(Int(match, "y"), Int(match, "m"), Int(match, "d"), hour, Int(match, "mi"), Int(match, "s"), Kst);
    }

    private static int Int(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<y>\d{4})(?:-|년\s*)(?<m>\d{1,2})(?:-|월\s*)(?<d>\d{1,2})일?\s+(?:(?<am>오전)|(?<pm>오후))?\s*(?<h>\d{1,2}):(?<mi>\d{2}):(?<s>\d{2})$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Pattern();
}
