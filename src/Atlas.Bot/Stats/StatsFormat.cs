using System.Globalization;

namespace Atlas.Bot.Stats;

/// <summary>Counts as people read them in az, en and ru: "2 584 343 203" and "2,584,343,203".</summary>
public static class StatsFormat
{
    /// <summary>
    /// A no-break space (U+00A0) groups thousands in az and ru: it never breaks a number across lines, and unlike the
    /// narrow U+202F every font has it. The cultures are not used as they are: ICU groups az with dots.
    /// </summary>
    public const string SpaceSeparator = "\u00A0";

    private static readonly NumberFormatInfo Spaced = Grouped(SpaceSeparator);
    private static readonly NumberFormatInfo Commas = Grouped(",");

    /// <summary><paramref name="value"/> with thousands grouped for <paramref name="language"/> (English for any other).</summary>
    public static string Number(long value, string language) =>
        value.ToString("#,0", language is "az" or "ru" ? Spaced : Commas);

    private static NumberFormatInfo Grouped(string separator)
    {
        var format = (NumberFormatInfo)CultureInfo.InvariantCulture.NumberFormat.Clone();
        format.NumberGroupSeparator = separator;
        format.NumberGroupSizes = [3];
        return NumberFormatInfo.ReadOnly(format);
    }
}
