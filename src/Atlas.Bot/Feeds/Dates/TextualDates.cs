using System.Globalization;
using System.Text.RegularExpressions;

namespace Atlas.Bot.Feeds.Dates;

/// <summary>
/// RFC 822 and its many real-world variants ("Thu, 01 Jan 04", "Sun Jan  4 16:29:06 2004",
/// "Fri, 2006/09/15 08:19:53 EDT", localised weekday and month names): the tokens are classified
/// by shape, so their order does not matter.
/// </summary>
internal static partial class TextualDates
{
    public static DateParts? Read(string s)
    {
        var tokens = s.Replace(',', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var start = 0;
        // A leading word that is not a month is a weekday, in whatever language.
        while (start < tokens.Length && IsWord(tokens[start]) && DateWords.Month(tokens[start]) is null && DateWords.Zone(tokens[start]) is null)
        {
            start++;
        }

        var numbers = new List<string>();
        int? month = null;
        (int H, int M, int S)? time = null;
        TimeSpan? offset = null;
        (int Y, int M, int D)? slashDate = null;

        foreach (var token in tokens.AsSpan(start))
        {
            if (token.All(char.IsAsciiDigit))
            {
                numbers.Add(token);
            }
            else if (token.Contains(':', StringComparison.Ordinal) && char.IsAsciiDigit(token[0]) && time is null)
            {
                time = Time(token);
                if (time is null)
                {
                    return null;
                }
            }
            else if (SlashDate().Match(token) is { Success: true } slash && slashDate is null)
            {
                slashDate = (Int(slash.Groups[1].Value), Int(slash.Groups[2].Value), Int(slash.Groups[3].Value));
            }
            else if (month is null && DateWords.Month(token) is { } named)
            {
                month = named;
            }
            else if (offset is null && Zone(token) is { } zone)
            {
                offset = zone;
            }
            else
            {
                return null;
            }
        }

        var (hour, minute, second) = time ?? (0, 0, 0);
        if (slashDate is { } ymd)
        {
            return numbers.Count == 0 && month is null ? new DateParts(ymd.Y, ymd.M, ymd.D, hour, minute, second, offset) : null;
        }
        if (month is null || numbers.Count != 2)
        {
            return null;
        }

        // Day first unless the first number is plainly a year ("2004 Jan 01" is rare but seen).
        var (day, year) = numbers[0].Length >= 3 ? (numbers[1], numbers[0]) : (numbers[0], numbers[1]);
        if (day.Length > 2)
        {
            return null;
        }
        return new DateParts(Year(year), month.Value, Int(day), hour, minute, second, offset);
    }

    private static int Year(string digits)
    {
        var year = Int(digits);
        // RFC 822 two-digit years; four digits are taken literally, even "0100".
        return digits.Length <= 2 ? (year < 50 ? 2000 + year : 1900 + year) : year;
    }

    private static (int, int, int)? Time(string token)
    {
        var match = TimePattern().Match(token);
        if (!match.Success)
        {
            return null;
        }
        return (Int(match.Groups[1].Value), Int(match.Groups[2].Value), match.Groups[3].Success ? Int(match.Groups[3].Value) : 0);
    }

    private static TimeSpan? Zone(string token)
    {
        var match = OffsetPattern().Match(token);
        if (!match.Success)
        {
            return DateWords.Zone(token);
        }
        var named = match.Groups[1].Value;
        var baseOffset = named.Length == 0 ? TimeSpan.Zero : DateWords.Zone(named);
        if (baseOffset is null)
        {
            return null;
        }
        var hours = Int(match.Groups[3].Value);
        var minutes = match.Groups[4].Success ? Int(match.Groups[4].Value) : 0;
        return baseOffset + DateWords.Offset(match.Groups[2].Value == "-", hours, minutes);
    }

    private static bool IsWord(string token) => token.All(char.IsLetter);

    private static int Int(string digits) => int.Parse(digits, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$", RegexOptions.CultureInvariant)]
    private static partial Regex SlashDate();

    [GeneratedRegex(@"^((?:ETC/)?(?:GMT|UTC|UT)|)([+-])(\d{2})(?::?(\d{2}))?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OffsetPattern();
}
