using System.Globalization;
using System.Text.RegularExpressions;

namespace Atlas.Bot.Feeds.Dates;

/// <summary>ISO 8601 and W3CDTF, including the truncated and two-digit-year forms old feeds still carry.</summary>
internal static partial class IsoDates
{
    public static DateParts? Read(string s)
    {
        var match = IsoPattern().Match(NameMonthToNumber(s));
        if (!match.Success)
        {
            return null;
        }

        var year = match.Groups["y"].Success ? Number(match, "y") : 2000 + Number(match, "yy");
        int month, day;
        if (match.Groups["o"].Success)
        {
            var ordinal = Number(match, "o");
            if (ordinal < 1 || ordinal > (DateTime.IsLeapYear(year) ? 366 : 365))
            {
                return null;
            }
            var date = new DateTime(year, 1, 1).AddDays(ordinal - 1);
            (month, day) = (date.Month, date.Day);
        }
        else
        {
            month = match.Groups["m"].Success ? Number(match, "m") : 1;
            day = match.Groups["d"].Success ? Number(match, "d") : 1;
        }

        var offset = match.Groups["zone"].Success ? Zone(match.Groups["zone"].Value) : null;
        if (match.Groups["zone"].Success && offset is null)
        {
            return null;
        }

        return new DateParts(year, month, day,
            Number(match, "h"), Number(match, "mi"), Number(match, "s"), offset);
    }

    private static TimeSpan? Zone(string zone)
    {
        if (zone[0] is not ('+' or '-'))
        {
            return DateWords.Zone(zone);
        }
        var digits = zone[1..].Replace(":", "", StringComparison.Ordinal);
        var hours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
        var minutes = digits.Length > 2 ? int.Parse(digits[2..], CultureInfo.InvariantCulture) : 0;
        return DateWords.Offset(zone[0] == '-', hours, minutes);
    }

    private static int Number(Match match, string group) =>
        match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    // "2004-július-13": a month written as a word inside an otherwise ISO date.
    private static string NameMonthToNumber(string s)
    {
        var named = NamedMonth().Match(s);
        if (!named.Success || DateWords.Month(named.Groups[2].Value) is not { } month)
        {
            return s;
        }
        return string.Concat(named.Groups[1].Value, month.ToString("00", CultureInfo.InvariantCulture), s[(named.Index + named.Length)..]);
    }

    [GeneratedRegex(@"^(\d{4}-)(\p{L}+)(?=-)", RegexOptions.CultureInvariant)]
    private static partial Regex NamedMonth();

    [GeneratedRegex("""
        ^(?:
            (?<y>\d{4})-(?<m>\d{2,3})-(?<d>\d{2})
          | (?<y>\d{4})(?<m>\d{2})(?<d>\d{2})
          | (?<y>\d{4})-?(?<o>\d{3})
          | (?<y>\d{4})-(?<m>\d{2})
          | (?<y>\d{4})
          | (?<yy>\d{2})-?(?<m>\d{2})-?(?<d>\d{2})
          | (?<yy>\d{2})(?<o>\d{3})
          | -(?<yy>\d{2})-?(?<m>\d{2})
        )
        (?:[T\x20]\s*(?<h>\d{1,2}):(?<mi>\d{2})(?::(?<s>\d{2})(?:[.,]\d+)?)?
           \s*(?<zone>Z|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{1,5})?
        )?$
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex IsoPattern();
}
